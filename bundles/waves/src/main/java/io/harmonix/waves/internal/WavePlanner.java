package io.harmonix.waves.internal;

import io.harmonix.waves.api.Focus;
import io.harmonix.waves.api.WaveSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a wave: how many instances of which types, each owning which components.
 *
 * <p>The count is the size's range filled by the capacity the machine has left (1: the most, 0: the fewest; for
 * infinite mode from 0 to the throttle), and never more than the components to own, since every instance owns at
 * least one and no two own the same. The types of a wave across all types each get one instance when there are
 * five or more, and the rest are apportioned by their weights ({@link Effectiveness}): a type whose proposals
 * validate gets more instances, one whose proposals are rejected fewer, down to the one it keeps. Components go round-robin to the
 * instances, in sorted order, so a plan is the same for the same input.
 */
final class WavePlanner {
    /** One planned instance. */
    record Planned(String type, List<String> components) {
    }

    /** The weight of a type with no record: {@link Effectiveness}'s estimate without evidence. */
    static final double NO_RECORD = 0.5;

    private WavePlanner() {
    }

    /**
     * @param size the wave's size
     * @param focus the type of a small wave (null: the heaviest)
     * @param components the components free to own, sorted
     * @param capacity the capacity left, 0 to 1
     * @param throttle the most instances of an infinite wave (ignored for the others)
     * @param weights each type's weight (missing: 1)
     */
    static List<Planned> plan(WaveSize size, Focus focus, List<String> components, double capacity, int throttle,
            Map<Focus, Double> weights) {
        int count = count(size, capacity, throttle);
        count = Math.min(count, components.size());
        if (count <= 0) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        if (size == WaveSize.SMALL) {
            Focus f = focus != null ? focus : heaviest(weights);
            for (int i = 0; i < count; i++) {
                types.add(f.type());
            }
        } else {
            // every type keeps one instance when there are seats enough: a type's record can only change if its
            // proposals keep coming; the rest goes by weight
            int each = count >= Focus.values().length ? 1 : 0;
            Map<Focus, Integer> seats = apportion(count - each * Focus.values().length, weights);
            seats.replaceAll((f, n) -> n + each);
            seats.forEach((type, n) -> {
                for (int i = 0; i < n; i++) {
                    types.add(type.type());
                }
            });
        }
        List<List<String>> owned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            owned.add(new ArrayList<>());
        }
        for (int j = 0; j < components.size(); j++) {
            owned.get(j % count).add(components.get(j));
        }
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plan.add(new Planned(types.get(i), owned.get(i)));
        }
        return plan;
    }

    /** @return instances the size asks for at this capacity */
    static int count(WaveSize size, double capacity, int throttle) {
        double c = Math.max(0, Math.min(1, capacity));
        if (size == WaveSize.INFINITE) {
            return (int) Math.floor(throttle * c + 1e-9);
        }
        return size.min() + (int) Math.round((size.max() - size.min()) * c);
    }

    static Focus heaviest(Map<Focus, Double> weights) {
        return java.util.Arrays.stream(Focus.values())
                .max(Comparator.comparingDouble((Focus f) -> weights.getOrDefault(f, NO_RECORD))
                        .thenComparing(f -> -f.ordinal()))
                .orElseThrow();
    }

    /**
     * Hamilton's method (largest remainder): {@code count} seats over the types in proportion to their weights; ties
     * of the remainder go to the heavier type, then to the earlier one.
     */
    static Map<Focus, Integer> apportion(int count, Map<Focus, Double> weights) {
        Map<Focus, Integer> seats = new EnumMap<>(Focus.class);
        double total = 0;
        for (Focus f : Focus.values()) {
            total += Math.max(0, weights.getOrDefault(f, NO_RECORD));
        }
        if (total <= 0) {
            total = Focus.values().length;
            weights = Map.of();
        }
        int given = 0;
        List<double[]> remainders = new ArrayList<>();
        for (Focus f : Focus.values()) {
            double w = Math.max(0, weights.getOrDefault(f, NO_RECORD));
            double quota = count * w / total;
            int whole = (int) Math.floor(quota + 1e-9);
            seats.put(f, whole);
            given += whole;
            // remainders rounded, so that equal shares tie instead of being told apart by floating-point noise
            remainders.add(new double[] {f.ordinal(), Math.round((quota - whole) * 1e9) / 1e9, w});
        }
        remainders.sort(Comparator.<double[]>comparingDouble(r -> -r[1]).thenComparingDouble(r -> -r[2])
                .thenComparingDouble(r -> r[0]));
        for (int i = 0; given < count; i++, given++) {
            Focus f = Focus.values()[(int) remainders.get(i % remainders.size())[0]];
            seats.merge(f, 1, Integer::sum);
        }
        return seats;
    }
}

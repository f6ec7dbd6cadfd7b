package io.harmonix.agent.performance.internal;

import io.harmonix.enhance.api.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The information findings of a JFR recording: one for the hottest methods, one for the allocation sites. */
final class Recordings {
    static final String CPU_FILE = "telemetry/jfr/cpu";
    static final String ALLOCATION_FILE = "telemetry/jfr/allocation";

    private Recordings() {
    }

    static List<Finding> findings(Profiler.Profile profile) {
        List<Finding> out = new ArrayList<>();
        if (!profile.methods().isEmpty()) {
            Profiler.Hot top = profile.methods().get(0);
            out.add(Analyser.finding(Rules.HOT_METHODS, CPU_FILE, String.format(Locale.ROOT,
                    "hottest method: %s (%.0f %% of %d execution samples)", top.frame(), top.share() * 100,
                    profile.samples()), list(profile.methods(), "samples")));
        }
        if (!profile.allocations().isEmpty()) {
            Profiler.Hot top = profile.allocations().get(0);
            out.add(Analyser.finding(Rules.ALLOCATIONS, ALLOCATION_FILE, String.format(Locale.ROOT,
                    "top allocation site: %s (%.0f %% of %.1f MB sampled)", top.frame(), top.share() * 100,
                    profile.bytes() / 1048576.0), list(profile.allocations(), "bytes")));
        }
        return out;
    }

    private static String list(List<Profiler.Hot> hot, String unit) {
        return hot.stream().map(h -> String.format(Locale.ROOT, "%5.1f %%  %d %s  %s", h.share() * 100, h.weight(),
                unit, h.frame())).collect(Collectors.joining("\n"));
    }
}

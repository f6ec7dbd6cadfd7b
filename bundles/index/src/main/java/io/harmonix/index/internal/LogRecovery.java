package io.harmonix.index.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a namespace's segment files when its log opens (or is read again after a repair), each with
 * {@link SegmentScan}, and decides what each bad stretch is. A stretch at the end of the last segment with nothing
 * after it that verifies is a torn tail (a write cut by a crash, or its last record damaged): it is cut and
 * reported, as nothing after it is lost. Any other is damage ({@link Damage}): the records after it verify, or it
 * is in a closed segment (forced whole when the next one began, so not torn by a crash); the file is left as it is.
 */
final class LogRecovery {
    private LogRecovery() {
    }

    /** Where the records read go, in log order. */
    interface Sink {
        /** An intact record of {@code s}; counting it there ({@link Segment#add}) gives its sequence. */
        void intact(Segment s, SegmentScan.Intact r);

        void damaged(Damage d);
    }

    /**
     * @param files the segment files, in order
     * @param expectedFirst where the first must start (the pruned records), or -1 when none was ever pruned
     * @param report where a cut tail is reported
     * @return the segments, counted
     * @throws IOException when a segment is missing (one does not start where the one before ends)
     */
    static List<Segment> read(String namespace, List<Path> files, long expectedFirst, Consumer<String> report,
            Sink sink) throws IOException {
        List<Segment> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
        Path f = files.get(i);
        long first = Segment.firstSeqOf(f);
        if (expectedFirst >= 0 && first != expectedFirst) {
            throw new IOException("index " + namespace + ": segment " + f.getFileName() + " starts at record "
                    + first + ", but the records before end at " + expectedFirst + ": a segment is missing");
        }
        Segment s = new Segment(f, first);
        boolean last = i == files.size() - 1;
        SegmentScan scan = SegmentScan.of(f);
        List<Object> items = scan.items;
        if (last && !items.isEmpty() && items.get(items.size() - 1) instanceof SegmentScan.Bad b && b.tail()) {
            // only the end of the last segment, with nothing after it that verifies, is a crash's torn tail
            Segment.truncate(f, b.offset());
            items = items.subList(0, items.size() - 1);
            long intact = items.stream().filter(SegmentScan.Intact.class::isInstance).count();
            report.accept("index " + namespace + ": segment " + f.getFileName() + " has a torn or corrupt tail at "
                    + "offset " + b.offset() + " (record " + (first + intact) + " " + b.problem() + "): " + (scan.size
                    - b.offset()) + " bytes cut; the " + (first + intact) + " records before it are intact");
        }
        load(s, items, scan.size, sink, last ? -1 : Segment.firstSeqOf(files.get(i + 1)) - first);
        out.add(s);
        s.writeSparse();
        expectedFirst = first + s.count;
    }
        return out;
    }

    /**
     * Counts a scanned segment into the sink: its intact records and its damaged stretches. A stretch whose number
     * of records the file cannot tell is given the rest of the segment's count when it is the only one in a closed
     * segment; otherwise the records after it cannot be numbered, and are left on disk unread.
     *
     * @param total how many records the segment holds (the next segment's first sequence tells), -1 for the last
     */
    private static void load(Segment s, List<Object> items, long fileSize, Sink sink, long total) {
        long intact = items.stream().filter(SegmentScan.Intact.class::isInstance).count();
        long known = items.stream().filter(SegmentScan.Bad.class::isInstance).mapToLong(b -> ((SegmentScan.Bad) b)
                .records()).filter(n -> n >= 0).sum();
        long unknown = items.stream().filter(b -> b instanceof SegmentScan.Bad bad && bad.records() < 0).count();
        long fill = total >= 0 && unknown == 1 && total - intact - known >= 0 ? total - intact - known : -1;
        for (Object item : items) {
            if (item instanceof SegmentScan.Intact r) {
                sink.intact(s, r);
                continue;
            }
            SegmentScan.Bad b = (SegmentScan.Bad) item;
            long n = b.records() >= 0 ? b.records() : fill;
            long end = n >= 0 ? b.end() : fileSize;
            sink.damaged(new Damage(s.name(), b.offset(), end, s.firstSeq + s.count, n, b.problem(), b.cycleId(),
                    0));
            s.skip(b.offset(), end, Math.max(0, n));
            if (n < 0) {
                return;
            }
        }
    }
}

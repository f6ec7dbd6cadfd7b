package io.harmonix.index.internal;

/**
 * A damaged stretch of a namespace's log, as the open found it: the records there do not verify, records after it
 * do (or it is in a closed segment, whose end is not a crash's torn tail).
 *
 * @param segment the segment file's name
 * @param offset where the first bad record starts in it
 * @param end where the next record that verifies starts (or the file's end)
 * @param firstSeq the sequence of the first bad record
 * @param records how many records the stretch held, -1 when that cannot be told (then the records after it in its
 *     segment cannot be numbered, and are not read)
 * @param problem what is wrong with the first bad record
 * @param cycleId its cycle id as still legible in the damaged bytes, or null
 * @param after how many records after it verify (filled in once the namespace is read)
 */
record Damage(String segment, long offset, long end, long firstSeq, long records, String problem, String cycleId,
        long after) {
    Damage withAfter(long n) {
        return new Damage(segment, offset, end, firstSeq, records, problem, cycleId, n);
    }

    /** @return e.g. {@code record 2 (cycle r:3, as legible in the damaged bytes) in segment 0.seg at offset 582 ...} */
    String describe() {
        String which = records == 1 || records == 0 ? "record " + firstSeq
                : records > 1 ? "records " + firstSeq + "-" + (firstSeq + records - 1)
                : "record " + firstSeq + " and an unknown number after it";
        String cycle = cycleId == null ? "its cycle id cannot be read" : "cycle " + cycleId
                + ", as legible in the damaged bytes";
        String held = records < 0 ? "; the " + (end - offset) + " bytes to offset " + end + " cannot be told apart "
                + "into records" : "";
        return which + " (" + cycle + ") in segment " + segment + " at offset " + offset + " " + problem + held
                + "; " + after + " records after it verify";
    }
}

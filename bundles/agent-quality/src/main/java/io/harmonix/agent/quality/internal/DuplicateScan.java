package io.harmonix.agent.quality.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.sourceforge.pmd.cpd.CPDConfiguration;
import net.sourceforge.pmd.cpd.CpdAnalysis;
import net.sourceforge.pmd.cpd.Mark;
import net.sourceforge.pmd.cpd.Match;
import net.sourceforge.pmd.lang.document.FileId;
import net.sourceforge.pmd.lang.document.FileLocation;
import net.sourceforge.pmd.lang.java.JavaLanguageModule;

/** Duplicated blocks among Java sources, through PMD's copy-paste detector, in memory. */
final class DuplicateScan {
    /** One copy of a block. */
    record Copy(String file, int line, int column, int endLine, int endColumn) {
        @Override
        public String toString() {
            return file + ":" + line + "-" + endLine;
        }
    }

    /**
     * A block found more than once.
     *
     * @param copies every copy, in file and line order
     * @param code the block's code (the first copy's)
     */
    record Duplicate(List<Copy> copies, int lines, int tokens, String code) {
    }

    private DuplicateScan() {
    }

    /** @param minimumTokens how long a block must be, in tokens, to count */
    static List<Duplicate> run(List<Source> sources, int minimumTokens) {
        CPDConfiguration config = new CPDConfiguration();
        config.setOnlyRecognizeLanguage(JavaLanguageModule.getInstance());
        config.setMinimumTileSize(minimumTokens);
        config.setSourceEncoding(StandardCharsets.UTF_8);
        List<Duplicate> found = new ArrayList<>();
        try (CpdAnalysis cpd = CpdAnalysis.create(config)) {
            for (Source s : sources) {
                cpd.files().addSourceFile(FileId.fromPathLikeString(s.path()), s.text());
            }
            cpd.performAnalysis(report -> {
                for (Match match : report.getMatches()) {
                    List<Mark> marks = new ArrayList<>();
                    match.forEach(marks::add);
                    marks.sort(Comparator.comparing((Mark m) -> m.getLocation().getFileId().getOriginalPath())
                            .thenComparingInt(m -> m.getLocation().getStartLine()));
                    List<Copy> copies = new ArrayList<>();
                    for (Mark mark : marks) {
                        FileLocation at = mark.getLocation();
                        copies.add(new Copy(at.getFileId().getOriginalPath(), at.getStartLine(),
                                at.getStartColumn(), at.getEndLine(), at.getEndColumn()));
                    }
                    // the first copy's code: the same whichever file is edited elsewhere, so the fingerprint holds
                    found.add(new Duplicate(List.copyOf(copies), match.getLineCount(), match.getTokenCount(),
                            report.getSourceCodeSlice(marks.get(0)).toString()));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the copy-paste detector failed to close its files", e);
        }
        return found;
    }
}

package io.harmonix.agent.security.internal;

import io.harmonix.agent.security.internal.deps.DerbyAdvisories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shipped sample advisories (docs/examples/advisories/osv-sample.json, a resource of the bundle). */
public final class SampleAdvisories {
    private SampleAdvisories() {
    }

    /** @return the sample, copied into {@code dir} */
    public static Path copyTo(Path dir) throws IOException {
        Path file = dir.resolve("osv-sample.json");
        try (InputStream in = DerbyAdvisories.class.getResourceAsStream("osv-sample.json")) {
            Files.copy(in, file);
        }
        return file;
    }
}

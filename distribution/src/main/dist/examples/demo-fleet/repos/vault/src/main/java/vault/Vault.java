package vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The service's settings, from config.properties. */
public final class Vault {
    private Vault() {
    }

    public static Properties settings(Path file) {
        return read(file, false);
    }

    /** @param cached whether a copy read before may serve (not done yet: the file is read each time) */
    private static Properties read(Path file, boolean cached) {
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            settings.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return settings;
    }
}

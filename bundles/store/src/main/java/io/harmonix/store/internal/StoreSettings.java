package io.harmonix.store.internal;

import io.harmonix.config.api.ConfigCheck;
import io.harmonix.store.api.StoreProperties;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of {@code etc/io.harmonix.store.cfg} in force: which store ({@code provider}), and where it is. The
 * one place that chooses the store: the store bundle reads this configuration alone, and creates the chosen
 * provider's DataSource instance with these settings; a change of any replaces that instance.
 *
 * @param provider {@link StoreProperties#DERBY} or {@link StoreProperties#POSTGRESQL}
 * @param directory Derby's database folder, absolute
 * @param url PostgreSQL's JDBC URL (empty for Derby)
 * @param user PostgreSQL's user (empty for Derby)
 * @param passwordFile the file holding PostgreSQL's password, absolute (read by the provider, never here)
 * @param poolSize the most connections open at once
 * @param poolWait how long a caller waits for a free connection
 */
record StoreSettings(String provider, Path directory, String url, String user, Path passwordFile, int poolSize,
        Duration poolWait) {
    private static final String URL_FORM = "jdbc:postgresql://HOST:PORT/DATABASE";

    boolean derby() {
        return StoreProperties.DERBY.equals(provider);
    }

    /** Where the store is, as the log and the errors may say it (never a secret). */
    String where() {
        return derby() ? directory.toString() : url + " as " + user;
    }

    /**
     * @param dataFolder what a relative Derby folder is taken from
     * @param etcFolder what a relative password file is taken from
     */
    static ConfigCheck.Result<StoreSettings> read(StoreComponent.Config config, Map<String, Object> properties,
            Path dataFolder, Path etcFolder) {
        ConfigCheck check = new ConfigCheck(StoreComponent.PID, properties);
        String provider = check.oneOf("provider", config::provider, StoreProperties.DERBY, StoreProperties.POSTGRESQL);
        String folder = check.text("directory", config::directory);
        int poolSize = check.wholeNumber("poolSize", config::poolSize, 1, 1000);
        Duration poolWait = check.positiveDuration("poolWait", config::poolWait);
        boolean postgresql = StoreProperties.POSTGRESQL.equals(provider);
        // read whatever the provider, so that every key is known; checked only for the provider that uses it
        String url = postgresql ? check.parsed("url", config::url, StoreSettings::postgresUrl)
                : check.parsed("url", config::url, u -> "");
        String user = postgresql ? check.text("user", config::user) : check.parsed("user", config::user, u -> "");
        Path dir = path(check, "directory", dataFolder, folder);
        Path secret = path(check, "passwordFile", etcFolder, check.text("passwordFile", config::passwordFile));
        return check.result(() -> new StoreSettings(provider, dir, postgresql ? url : "", postgresql ? user : "",
                secret, poolSize, poolWait));
    }

    private static Path path(ConfigCheck check, String key, Path base, String value) {
        try {
            return base.resolve(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            check.problem(key, "a file name (" + e.getReason() + ")");
            return null;
        }
    }

    /**
     * A PostgreSQL JDBC URL without a password in it. The error never repeats a URL that holds a password: the
     * configuration's refusal is logged.
     */
    static String postgresUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.contains("password=") || lower.matches("(jdbc:)?[a-z][a-z0-9+.-]*://[^/?@]*:[^/?@]*@.*")) {
            throw new IllegalArgumentException("(not shown: it holds a password) the password goes in the file that "
                    + "passwordFile names, never in the URL");
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("'" + url + "': expected a PostgreSQL JDBC URL, " + URL_FORM);
        }
        return url;
    }
}

package io.harmonix.store.postgresql.internal;

import io.harmonix.store.api.ForwardingDataSource;
import io.harmonix.store.api.StoreProperties;
import io.harmonix.store.provider.ProviderProperties;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The runtime's {@link DataSource} on a PostgreSQL database, published by DS with {@code harmonix.store=postgresql}
 * and {@code harmonix.store.selected=true}. A factory component: the store bundle's configuration
 * ({@code etc/io.harmonix.store.cfg}, {@code provider = postgresql}) creates its one instance with the server's URL,
 * user and password file ({@link ProviderProperties}), and disposes of it when the configuration changes or either
 * bundle stops; the password stays in its file.
 */
@Component(factory = ProviderProperties.POSTGRESQL_FACTORY, service = DataSource.class,
        property = {StoreProperties.STORE + "=" + StoreProperties.POSTGRESQL, StoreProperties.SELECTED + "=true"})
public class PostgresDataSource extends ForwardingDataSource {
    private final Logger log;
    private final PostgresDatabase database;

    @Activate
    public PostgresDataSource(Map<String, Object> properties,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException {
        this.log = log;
        int poolSize = (Integer) properties.get(ProviderProperties.POOL_SIZE);
        Duration poolWait = Duration.ofMillis((Long) properties.get(ProviderProperties.POOL_WAIT));
        database = new PostgresDatabase((String) properties.get(ProviderProperties.URL),
                (String) properties.get(ProviderProperties.USER),
                Path.of((String) properties.get(ProviderProperties.PASSWORD_FILE)), poolSize, poolWait);
        database.pool().reportTo(log::info, log::error);
        log.info("PostgreSQL database {} as {}: connected at its first use, up to {} pooled connections",
                database.url(), database.user(), poolSize);
    }

    @Deactivate
    void deactivate() {
        // DS has withdrawn the service and deactivated every component that required it before this runs
        database.close();
        log.info("PostgreSQL database {}: pool closed", database.url());
    }

    @Override
    protected DataSource delegate() {
        return database.dataSource();
    }
}

package io.harmonix.cluster.internal;

import io.harmonix.cluster.api.ClusterNode;
import io.harmonix.store.api.SchemaMigrator;
import io.harmonix.store.api.StoreProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runtime's node, published by DS as {@link ClusterNode}: the {@link ClusterMember} itself (which joins at its
 * first use), built by this constructor on the store's DataSource (this subclass adds only the wiring). The store is
 * the one {@code etc/io.harmonix.store.cfg} chooses (the references target {@code harmonix.store.selected=true}):
 * every runtime of a cluster names the same PostgreSQL there. A changed configuration activates the component anew (no {@code @Modified}): what requires it, the
 * workflow engine, restarts with it, and its instances go on from their history.
 */
@Component(service = ClusterNode.class, immediate = true, configurationPid = ClusterSettings.PID)
@Designate(ocd = ClusterConfig.class)
public class ClusterComponent extends ClusterMember {
    @Activate
    public ClusterComponent(ClusterConfig config, Map<String, Object> properties, BundleContext context,
            @Reference(name = "dataSource", target = StoreProperties.SELECTED_TARGET) DataSource dataSource,
            @Reference(name = "migrator", target = StoreProperties.SELECTED_TARGET) SchemaMigrator migrator,
            @Reference(name = "log", service = LoggerFactory.class) Logger log) throws SQLException, IOException {
        this(ClusterSettings.read(config, properties).orElseThrow(log::error, log::warn),
                NodeIdentity.resolve(context.getProperty(NodeIdentity.PROPERTY), data(context)), dataSource,
                migrator, log);
    }

    private ClusterComponent(ClusterSettings settings, String nodeId, DataSource dataSource, SchemaMigrator migrator,
            Logger log) throws SQLException {
        super(dataSource, migrator, nodeId, settings.leaseDuration(), settings.renewInterval(), log::warn);
        log.info("cluster node {} joined: leases of {}, renewed every {}", nodeId, settings.leaseDuration(),
                settings.renewInterval());
    }

    /** The data folder as the launcher gives it ({@code harmonix.data}), else {@code data/} of the home. */
    private static Path data(BundleContext context) {
        String data = context.getProperty("harmonix.data");
        if (data != null) {
            return Path.of(data);
        }
        String home = context.getProperty("harmonix.home");
        return (home == null ? Path.of(".") : Path.of(home)).resolve("data");
    }

    @Deactivate
    void deactivate() {
        close();
    }
}

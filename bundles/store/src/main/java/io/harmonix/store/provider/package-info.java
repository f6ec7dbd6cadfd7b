/**
 * What the stores of the runtime share, for the bundles that provide one (the embedded Derby store and the PostgreSQL
 * store), not for the bundles with tables: the connection pool ({@link ConnectionPool}), the schema migrator over any
 * dialect ({@link SqlMigrator}), and the properties with which the store's configuration creates a provider's
 * DataSource ({@link ProviderProperties}).
 */
@Export
@Version("1.0.0")
package io.harmonix.store.provider;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

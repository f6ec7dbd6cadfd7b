/**
 * The store's API: the runtime's one {@code javax.sql.DataSource} is registered as a plain service; this package
 * adds versioned schema migrations that every bundle with tables applies through {@link SchemaMigrator}, and the
 * service property that names the store behind both ({@link StoreProperties}); {@link ForwardingDataSource} is the base
 * of a DataSource that wraps another, {@link Rows} the JDBC steps that tables of several bundles share. The
 * property, ForwardingDataSource and Rows came in 1.1.0, {@link Rows#list} in 1.2.0, the chosen store's property
 * ({@link StoreProperties#SELECTED}, {@link StoreProperties#SELECTED_TARGET}) and {@link StoreProperties#POSTGRESQL}
 * in 1.3.0, {@link Rows#whereEqual} in 1.4.0.
 */
@Export
@Version("1.4.0")
package io.harmonix.store.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

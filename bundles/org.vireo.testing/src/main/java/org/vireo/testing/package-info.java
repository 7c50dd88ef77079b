/**
 * Building Vireo components outside the OSGi framework, for unit tests and the benchmark.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vireo.testing;

/** memjcache's own management interface, beside the JCache MXBeans. */
package io.memjcache.management;

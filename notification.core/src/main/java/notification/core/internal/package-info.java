/** Implementation of notification.core; private to the bundle. */
package notification.core.internal;

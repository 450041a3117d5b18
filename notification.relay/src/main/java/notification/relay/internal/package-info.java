/** Implementation of notification.relay; private to the bundle. */
package notification.relay.internal;

/** Implementation of notification.oauth; private to the bundle. */
package notification.oauth.internal;

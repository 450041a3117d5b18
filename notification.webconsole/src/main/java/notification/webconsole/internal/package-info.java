/** Implementation of notification.webconsole; private to the bundle. */
package notification.webconsole.internal;

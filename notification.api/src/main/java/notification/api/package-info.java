/**
 * The notification API that print-server code calls: submit a {@link notification.api.Notification} to the
 * {@link notification.api.NotificationService}, get a receipt once it is durably stored, and follow it through the
 * outbox.
 */
@Version("1.2.0")
@Export
package notification.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

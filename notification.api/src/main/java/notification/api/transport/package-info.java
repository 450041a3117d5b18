/**
 * The transport SPI: what a bundle implements to deliver rendered messages for the notification service. Register a
 * {@link notification.api.transport.MailTransport} as a service with the {@code notification.transport.name}
 * property; the notification service binds and unbinds transports while running. A
 * {@link notification.api.transport.TransportConfigurationValidator} checks proposed configurations of a transport
 * kind before they are saved. A {@link notification.api.transport.SendingBudget}, published by the notification
 * service, keeps a mailbox's connections, messages per minute and messages and recipients per day within the provider's limits
 * across every node sending as that mailbox.
 */
@Version("1.3.0")
@Export
package notification.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

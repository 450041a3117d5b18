/**
 * The SMTP engine every SMTP transport uses: connection pool, RFC 2920 pipelining, write watchdog, reply
 * classification per recipient, trust stores, and AUTH (PLAIN/LOGIN, or XOAUTH2 with tokens from a
 * {@link notification.smtp.SmtpTokenSource}), and a mailbox's shared sending budget
 * ({@link notification.smtp.SmtpBudget}). Start with {@link notification.smtp.SmtpClient}.
 */
@Version("1.1.0")
@Export
package notification.smtp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

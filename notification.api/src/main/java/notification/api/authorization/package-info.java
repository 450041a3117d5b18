/**
 * Interactive authorization: what a transport that needs an administrator's sign-in (OAuth2 authorization code)
 * publishes, and what the console's Authorize button and OAuth callback call.
 */
@Version("1.0.0")
@Export
package notification.api.authorization;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

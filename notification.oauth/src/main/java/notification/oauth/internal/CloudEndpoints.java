package notification.oauth.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where one Microsoft cloud lives: the authority, the SMTP submission endpoint, the Graph root and the scopes for
 * delegated and app-only tokens. The four Microsoft clouds come from a table; "custom" is set by hand.
 *
 * @param authority the authority URL with the tenant and a trailing slash
 * @param smtpHost the SMTP host
 * @param smtpPort the SMTP port (STARTTLS)
 * @param smtpScope the delegated SMTP scope
 * @param smtpAppScope the app-only SMTP scope ({@code <resource>/.default})
 * @param graphUrl the Graph root without trailing slash
 * @param graphScope the delegated Graph scope
 * @param graphAppScope the app-only Graph scope
 * @param microsoftHost whether the authority is a Microsoft cloud host (instance discovery only makes sense there)
 */
record CloudEndpoints(String authority, String smtpHost, int smtpPort, String smtpScope, String smtpAppScope,
        String graphUrl, String graphScope, String graphAppScope, boolean microsoftHost) {

    /** The cloud names accepted in the {@code cloud} key. */
    static final List<String> CLOUDS = List.of("global", "usgov-gcchigh", "usgov-dod", "china", "custom");

    /**
     * Looks up the endpoints of a cloud.
     *
     * @param config the configuration (cloud, tenant, and for "custom" the hand-set values)
     * @param problems where to add what is missing or wrong
     * @return the endpoints, or {@code null} when the cloud is unknown or incomplete
     */
    static CloudEndpoints of(MicrosoftTransportConfiguration config, List<String> problems) {
        String cloud = config.cloud().trim().toLowerCase(Locale.ROOT);
        String tenant = config.tenantId().trim();
        if (!cloud.equals("custom") && tenant.isEmpty()) {
            problems.add("tenantId is empty: enter the Directory (tenant) ID from the app registration's Overview");
        }
        return switch (cloud) {
            case "global" -> microsoft("login.microsoftonline.com", tenant, "smtp.office365.com",
                    "https://outlook.office.com/SMTP.Send", "https://outlook.office365.com/.default",
                    "https://graph.microsoft.com");
            case "usgov-gcchigh" -> microsoft("login.microsoftonline.us", tenant, "smtp.office365.us",
                    "https://outlook.office365.us/SMTP.Send", "https://outlook.office365.us/.default",
                    "https://graph.microsoft.us");
            case "usgov-dod" -> microsoft("login.microsoftonline.us", tenant, "outlook-dod.office365.us",
                    "https://outlook.office365.us/SMTP.Send", "https://outlook.office365.us/.default",
                    "https://dod-graph.microsoft.us");
            case "china" -> microsoft("login.chinacloudapi.cn", tenant, "smtp.partner.outlook.cn",
                    "https://partner.outlook.cn/SMTP.Send", "https://partner.outlook.cn/.default",
                    "https://microsoftgraph.chinacloudapi.cn");
            case "custom" -> custom(config, tenant, problems);
            default -> {
                problems.add("cloud '" + config.cloud() + "' is unknown: use one of " + String.join(", ", CLOUDS));
                yield null;
            }
        };
    }

    private static CloudEndpoints microsoft(String loginHost, String tenant, String smtpHost, String smtpScope,
            String smtpAppScope, String graphUrl) {
        return new CloudEndpoints("https://" + loginHost + "/" + tenant + "/", smtpHost, 587, smtpScope, smtpAppScope,
                graphUrl, graphUrl + "/Mail.Send", graphUrl + "/.default", true);
    }

    private static CloudEndpoints custom(MicrosoftTransportConfiguration config, String tenant, List<String> problems) {
        String authority = config.authorityUrl().trim();
        URI uri = null;
        try {
            uri = authority.isEmpty() ? null : URI.create(authority);
        } catch (IllegalArgumentException e) {
            problems.add("authorityUrl '" + authority + "' is not a URL");
        }
        if (authority.isEmpty()) {
            problems.add("authorityUrl is empty: the custom cloud needs the authority, e.g. "
                    + "https://login.example.com/<tenant>/");
        } else if (uri != null && (!"https".equals(uri.getScheme()) || uri.getHost() == null)) {
            problems.add("authorityUrl '" + authority + "' must be an https:// URL");
        } else if (uri != null) {
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            if (path.isEmpty()) {
                if (tenant.isEmpty()) {
                    problems.add("tenantId is empty and authorityUrl has no tenant in its path");
                }
                authority = authority.replaceAll("/+$", "") + "/" + tenant;
            }
            authority = authority.endsWith("/") ? authority : authority + "/";
        }
        String smtpScope = config.smtpScope().trim();
        String graphScope = config.graphScope().trim();
        String graphUrl = config.graphUrl().trim().replaceAll("/+$", "");
        boolean microsoftHost = uri != null && uri.getHost() != null && isMicrosoftHost(uri.getHost());
        return new CloudEndpoints(authority, config.smtpHost().trim(), config.smtpPort(), smtpScope,
                appScope(smtpScope), graphUrl, graphScope, appScope(graphScope), microsoftHost);
    }

    private static boolean isMicrosoftHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("login.microsoftonline.com") || h.equals("login.microsoftonline.us")
                || h.equals("login.chinacloudapi.cn") || h.equals("login.microsoft.com")
                || h.equals("login.windows.net");
    }

    /** The app-only scope of a delegated scope: its resource followed by "/.default". */
    static String appScope(String delegatedScope) {
        int slash = delegatedScope.lastIndexOf('/');
        return slash <= "https://".length() ? delegatedScope : delegatedScope.substring(0, slash) + "/.default";
    }
}

import ArgumentParser

/// `bilean`: the command-line client of the Bilean billing service.
@main
struct BileanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilean",
        abstract: "Command-line client of Bilean, the OpenStack billing service.",
        discussion: """
            Talks to the Bilean REST API v1 (bilean-api). Every command takes the connection options \
            --bilean-url (alias --os-bilean-url; with or without /v1; default: $BILEAN_URL, then \
            $OS_BILEAN_URL, then http://127.0.0.1:8770), --os-token (alias --os-auth-token; default: \
            $OS_TOKEN, then $OS_AUTH_TOKEN), --os-project-id and --os-roles (default: $OS_PROJECT_ID and \
            $OS_ROLES; the identity a server running without Keystone trusts), and -f/--format \
            table|json|value (default: table).

            Keystone password login (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, ...) comes later: those \
            variables are ignored for now; give a token instead.

            Amounts are exact decimal strings, never floating point. When the API answers with an error or \
            cannot be reached, the command prints "ERROR: <message>" on standard error and exits with \
            status 1; a wrong command line exits with status 64.
            """,
        subcommands: [
            UserList.self, UserShow.self, UserRecharge.self, UserAttachPolicy.self,
            RuleList.self, RuleShow.self, RuleCreate.self, RuleUpdate.self, RuleDelete.self,
            PolicyList.self, PolicyShow.self, PolicyCreate.self, PolicyUpdate.self, PolicyDelete.self,
            PolicyAddRules.self, PolicyRemoveRules.self,
            ResourceList.self, ResourceShow.self, ResourceValidate.self,
            EventList.self,
            ConsumptionList.self, ConsumptionStatistics.self,
            RejectedNotificationList.self, RejectedNotificationShow.self,
        ]
    )
}

import type { IConstruct } from "constructs";
import { InvalidPropsError, received } from "../errors";
import { KUBE_PROMETHEUS_STACK_FACTS } from "../upstream-facts";

/** Who an alert of our severities reaches: `page` wakes someone, `ticket` waits for working hours. */
export type AlertSeverity = "page" | "ticket";

interface ReceiverBase {
  /** The severities this receiver gets. */
  readonly severities: readonly AlertSeverity[];
}

/** A Slack incoming webhook; its URL (the credential) is a Secret Manager secret. */
export interface SlackReceiver extends ReceiverBase {
  readonly kind: "slack";
  /** Secret Manager secret id holding the webhook URL. */
  readonly webhookUrlSecret: string;
  /**
   * Channel override.
   * @default - the webhook's own channel
   */
  readonly channel?: string;
}

/** A PagerDuty Events API v2 integration. */
export interface PagerDutyReceiver extends ReceiverBase {
  readonly kind: "pagerduty";
  /** Secret Manager secret id holding the integration's routing key. */
  readonly routingKeySecret: string;
}

/** E-mail through an authenticating SMTP relay. */
export interface EmailReceiver extends ReceiverBase {
  readonly kind: "email";
  readonly to: string;
  readonly from: string;
  /** `host:port` of the SMTP relay. */
  readonly smarthost: string;
  readonly username: string;
  /** Secret Manager secret id holding the SMTP password. */
  readonly passwordSecret: string;
}

/** Any HTTP endpoint taking Alertmanager's webhook payload; the URL may carry a token, so it is a secret. */
export interface WebhookReceiver extends ReceiverBase {
  readonly kind: "webhook";
  /** Secret Manager secret id holding the URL. */
  readonly urlSecret: string;
}

export type AlertReceiver = SlackReceiver | PagerDutyReceiver | EmailReceiver | WebhookReceiver;

/** Where alerts go. */
export interface AlertingProps {
  /**
   * Receivers by a stable name (lower-case letters, digits and dashes). Every severity needs
   * at least one.
   */
  readonly receivers: Readonly<Record<string, AlertReceiver>>;
  /**
   * Project holding the receivers' secrets.
   * @default - the gateway's project
   */
  readonly secretsProjectId?: string;
}

/** Where the Secret Manager files appear in the Alertmanager container. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secret-manager";
export const ALERTMANAGER_SECRETS_VOLUME = "secret-manager";

/** The chart's kube-prometheus-stack alerts use these severities; ours map onto them. */
const SEVERITY_MATCHERS: Record<AlertSeverity, string> = {
  page: 'severity=~"page|critical"',
  ticket: 'severity=~"ticket|warning"',
};
const RECEIVER_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export interface AlertmanagerPlan {
  /** `alertmanager.config` for the chart. */
  readonly config: Record<string, unknown>;
  /** File name in the secrets volume → Secret Manager secret id. */
  readonly secretFiles: Record<string, string>;
}

/**
 * The Alertmanager configuration: one Alertmanager receiver per severity gathering every
 * configured integration of that severity, routed by our severities and the chart's
 * (`critical`/`warning`); the chart's Watchdog and InfoInhibitor and `info` alerts go nowhere.
 * Credentials are `*_file` fields reading the Secret Manager files, never values.
 */
export function alertmanagerPlan(scope: IConstruct, alerting: AlertingProps): AlertmanagerPlan {
  const entries = Object.entries(alerting.receivers);
  const secretFiles: Record<string, string> = {};
  const bySeverity: Record<AlertSeverity, Record<string, unknown[]>> = { page: {}, ticket: {} };
  for (const [name, receiver] of entries) {
    checkReceiver(scope, name, receiver);
    const file = (field: string, secretId: string) => {
      secretFiles[`${name}-${field}`] = secretId;
      return `${ALERTMANAGER_SECRETS_DIR}/${name}-${field}`;
    };
    const [key, config] = integration(receiver, file);
    for (const severity of new Set(receiver.severities)) bySeverity[severity][key] = [...(bySeverity[severity][key] ?? []), config];
  }
  for (const severity of ["page", "ticket"] as const) {
    if (Object.keys(bySeverity[severity]).length === 0)
      throw new InvalidPropsError(
        scope,
        "alerting.receivers",
        `has no receiver for severity "${severity}" ${received(entries.map(([n, r]) => `${n}: ${r.severities.join(",")}`))}`,
        `add "${severity}" to a receiver's severities, so ${severity === "page" ? "pages" : "tickets"} reach someone`,
      );
  }
  return {
    secretFiles,
    config: {
      route: {
        receiver: "ticket",
        group_by: ["alertname", "namespace"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "4h",
        routes: [
          { receiver: "null", matchers: ['alertname=~"Watchdog|InfoInhibitor"'] },
          { receiver: "null", matchers: ['severity=~"info|none"'] },
          { receiver: "page", matchers: [SEVERITY_MATCHERS.page], repeat_interval: "1h" },
          { receiver: "ticket", matchers: [SEVERITY_MATCHERS.ticket] },
        ],
      },
      receivers: [{ name: "null" }, { name: "page", ...bySeverity.page }, { name: "ticket", ...bySeverity.ticket }],
      // A page already tells the story; its ticket twin would only add noise.
      inhibit_rules: [
        { source_matchers: [SEVERITY_MATCHERS.page], target_matchers: [SEVERITY_MATCHERS.ticket], equal: ["alertname", "namespace"] },
        { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ["namespace"] },
      ],
    },
  };
}

function integration(receiver: AlertReceiver, file: (field: string, secretId: string) => string): [string, Record<string, unknown>] {
  switch (receiver.kind) {
    case "slack":
      return [
        "slack_configs",
        { api_url_file: file("api-url", receiver.webhookUrlSecret), send_resolved: true, ...(receiver.channel ? { channel: receiver.channel } : {}) },
      ];
    case "pagerduty":
      return ["pagerduty_configs", { routing_key_file: file("routing-key", receiver.routingKeySecret), send_resolved: true }];
    case "email":
      return [
        "email_configs",
        {
          to: receiver.to,
          from: receiver.from,
          smarthost: receiver.smarthost,
          auth_username: receiver.username,
          auth_password_file: file("password", receiver.passwordSecret),
          require_tls: true,
          send_resolved: true,
        },
      ];
    case "webhook":
      return ["webhook_configs", { url_file: file("url", receiver.urlSecret), send_resolved: true }];
  }
}

function checkReceiver(scope: IConstruct, name: string, receiver: AlertReceiver): void {
  if (!RECEIVER_NAME.test(name))
    throw new InvalidPropsError(
      scope,
      `alerting.receivers.${name}`,
      `is not a valid receiver name ${received(name)}`,
      'use lower-case letters, digits and dashes, like "oncall-slack"',
    );
  if (!KUBE_PROMETHEUS_STACK_FACTS.alertmanager.receiverKinds.includes(receiver.kind))
    throw new InvalidPropsError(
      scope,
      `alerting.receivers.${name}.kind`,
      `is not supported ${received(receiver.kind)}`,
      `use one of ${KUBE_PROMETHEUS_STACK_FACTS.alertmanager.receiverKinds.join(", ")}`,
    );
  if (receiver.severities.length === 0 || receiver.severities.some((s) => s !== "page" && s !== "ticket"))
    throw new InvalidPropsError(
      scope,
      `alerting.receivers.${name}.severities`,
      `must list "page" and/or "ticket" ${received(receiver.severities)}`,
      'give ["page"], ["ticket"] or both',
    );
  if (receiver.kind === "email" && !/^[^\s:]+:\d+$/.test(receiver.smarthost))
    throw new InvalidPropsError(
      scope,
      `alerting.receivers.${name}.smarthost`,
      `is not host:port ${received(receiver.smarthost)}`,
      'give the relay as "smtp.example.com:587"',
    );
}

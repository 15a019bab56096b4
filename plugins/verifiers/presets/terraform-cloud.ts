/**
 * HCP Terraform notifications: `X-TFE-Notification-Signature`, the hex
 * HMAC-SHA512 of the raw body under the notification token.
 * https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity
 */
import type { HmacPreset } from './types';

export const terraformCloudPreset: HmacPreset = {
  name: 'terraform-cloud',
  displayName: 'HCP Terraform / Terraform Enterprise',
  scheme: 'hmac',
  docs: 'https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-authenticity',
  settings: { algorithm: 'sha512', encoding: 'hex', header: 'x-tfe-notification-signature' },
  secret: { what: 'The notification token', where: 'Workspace Settings → Notifications → Token' },
};

/**
 * The provider presets, registered explicitly: one data file per provider
 * (types.ts says what a preset holds). Adding a provider is a file and a line here.
 */
import { buildRegistry } from '../registry';
import { airtablePreset } from './airtable';
import { airwallexPreset } from './airwallex';
import { asanaPreset } from './asana';
import { auth0Preset } from './auth0';
import { azureEventGridPreset } from './azure-event-grid';
import { bitbucketPreset } from './bitbucket';
import { bitbucketServerPreset } from './bitbucket-server';
import { boxPreset } from './box';
import { calComPreset } from './cal-com';
import { calendlyPreset } from './calendly';
import { checkoutComPreset } from './checkout-com';
import { circleciPreset } from './circleci';
import { clerkPreset } from './clerk';
import { clickupPreset } from './clickup';
import { coinbaseCommercePreset } from './coinbase-commerce';
import { customerIoPreset } from './customer-io';
import { discordPreset } from './discord';
import { docusignPreset } from './docusign';
import { dropboxPreset } from './dropbox';
import { flutterwavePreset } from './flutterwave';
import { frontPreset } from './front';
import { giteaPreset } from './gitea';
import { githubPreset } from './github';
import { gitlabPreset } from './gitlab';
import { gocardlessPreset } from './gocardless';
import { herokuPreset } from './heroku';
import { hookdeckPreset } from './hookdeck';
import { hubspotPreset } from './hubspot';
import { hubspotV1Preset } from './hubspot-v1';
import { hubspotV2Preset } from './hubspot-v2';
import { intercomPreset } from './intercom';
import { jiraPreset } from './jira';
import { lemonSqueezyPreset } from './lemon-squeezy';
import { linePreset } from './line';
import { linearPreset } from './linear';
import { mailchimpPreset } from './mailchimp';
import { mandrillPreset } from './mandrill';
import { metaPreset } from './meta';
import { microsoftGraphPreset } from './microsoft-graph';
import { microsoftTeamsPreset } from './microsoft-teams';
import { netlifyPreset } from './netlify';
import { notionPreset } from './notion';
import { oktaPreset } from './okta';
import { openaiPreset } from './openai';
import { paddlePreset } from './paddle';
import { pagerdutyPreset } from './pagerduty';
import { paystackPreset } from './paystack';
import { polarPreset } from './polar';
import { quickbooksPreset } from './quickbooks';
import { razorpayPreset } from './razorpay';
import { replicatePreset } from './replicate';
import { resendPreset } from './resend';
import { revolutPreset } from './revolut';
import { salesforceMarketingCloudPreset } from './salesforce-marketing-cloud';
import { sanityPreset } from './sanity';
import { sendgridPreset } from './sendgrid';
import { sentryPreset } from './sentry';
import { shopifyPreset } from './shopify';
import { slackPreset } from './slack';
import { squarePreset } from './square';
import { standardWebhooksPreset, svixPreset } from './standard-webhooks';
import { stripePreset } from './stripe';
import { telegramPreset } from './telegram';
import { telnyxPreset } from './telnyx';
import { terraformCloudPreset } from './terraform-cloud';
import { trelloPreset } from './trello';
import { twilioPreset } from './twilio';
import { twitchPreset } from './twitch';
import { typeformPreset } from './typeform';
import { vercelPreset } from './vercel';
import { vonagePreset } from './vonage';
import { webflowPreset } from './webflow';
import { whatsappPreset } from './whatsapp';
import { woocommercePreset } from './woocommerce';
import { workosPreset } from './workos';
import { xenditPreset } from './xendit';
import { xeroPreset } from './xero';
import { zendeskPreset } from './zendesk';
import { zoomPreset } from './zoom';
import type { PresetDefinition } from './types';

export const PRESETS = buildRegistry<PresetDefinition>(
  [
    githubPreset,
    stripePreset,
    slackPreset,
    shopifyPreset,
    standardWebhooksPreset,
    svixPreset,
    twilioPreset,
    zoomPreset,
    squarePreset,
    metaPreset,
    giteaPreset,
    gitlabPreset,
    bitbucketPreset,
    bitbucketServerPreset,
    jiraPreset,
    circleciPreset,
    terraformCloudPreset,
    vercelPreset,
    herokuPreset,
    sentryPreset,
    linearPreset,
    pagerdutyPreset,
    twitchPreset,
    paddlePreset,
    lemonSqueezyPreset,
    checkoutComPreset,
    razorpayPreset,
    coinbaseCommercePreset,
    paystackPreset,
    gocardlessPreset,
    airwallexPreset,
    revolutPreset,
    woocommercePreset,
    xeroPreset,
    quickbooksPreset,
    hookdeckPreset,
    linePreset,
    intercomPreset,
    zendeskPreset,
    customerIoPreset,
    frontPreset,
    hubspotPreset,
    hubspotV2Preset,
    hubspotV1Preset,
    salesforceMarketingCloudPreset,
    microsoftTeamsPreset,
    mandrillPreset,
    notionPreset,
    asanaPreset,
    trelloPreset,
    clickupPreset,
    airtablePreset,
    typeformPreset,
    calendlyPreset,
    docusignPreset,
    dropboxPreset,
    boxPreset,
    sanityPreset,
    webflowPreset,
    calComPreset,
    workosPreset,
    azureEventGridPreset,
    microsoftGraphPreset,
    oktaPreset,
    auth0Preset,
    telegramPreset,
    xenditPreset,
    flutterwavePreset,
    mailchimpPreset,
    discordPreset,
    telnyxPreset,
    sendgridPreset,
    netlifyPreset,
    vonagePreset,
    clerkPreset,
    resendPreset,
    openaiPreset,
    replicatePreset,
    polarPreset,
    whatsappPreset,
  ],
  'preset provider',
);

export const PRESET_PROVIDERS: readonly string[] = Object.freeze(Object.keys(PRESETS));

export function getPreset(provider: string): PresetDefinition {
  const preset = PRESETS[provider];
  if (!preset) throw new Error(`Unknown preset provider "${provider}"; known: ${PRESET_PROVIDERS.join(', ')}`);
  return preset;
}

export type { DataPreset, PresetConfig, PresetDefinition } from './types';

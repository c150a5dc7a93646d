/**
 * Where the rate card comes from, first present wins: `event.rate_card` (inline object or YAML/JSON text),
 * the SSM parameter named by env RATE_CARD_SSM_PARAMETER, the shipped mappings/rate-card.yaml. A named source
 * that is missing or empty is NoBillingReport; a card that is there but invalid is SpendError.
 */
import { load as parseYaml } from 'js-yaml';
import { readAsset } from '../config/assets';
import { isPlainObject } from '../config/fields';
import { getParameter } from '../config/ssm';
import { NoBillingReport, SpendError } from '../connector-utils/errors';
import { parseRateCard, type RateCard } from './rate-card';

/** The shipped default card. */
export const SHIPPED_RATE_CARD = 'mappings/rate-card.yaml';

/** A loaded card and where it came from (for logs). */
export interface LoadedRateCard {
  card: RateCard;
  source: string;
}

/** Parses YAML/JSON text of a card; syntax errors are SpendError (the card is there, but broken). */
function parseText(text: string, source: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new SpendError(`rate card (${source}): not valid YAML/JSON: ${reason}`);
  }
}

/** True for "named but empty": null, '', whitespace, {}. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  return isPlainObject(v) && Object.keys(v).length === 0;
}

/** Loads and validates the rate card for this invocation. */
export async function loadRateCard(inline: unknown, signal?: AbortSignal): Promise<LoadedRateCard> {
  if (inline !== undefined) {
    const source = 'event.rate_card';
    if (isEmpty(inline)) throw new NoBillingReport(`${source} is empty: no rate card to price usage with`);
    const raw = typeof inline === 'string' ? parseText(inline, source) : inline;
    if (isEmpty(raw)) throw new NoBillingReport(`${source} is empty: no rate card to price usage with`);
    return { card: parseRateCard(raw, source), source };
  }

  const parameter = process.env.RATE_CARD_SSM_PARAMETER;
  if (parameter) {
    const source = `SSM parameter ${parameter}`;
    const text = await getParameter(
      parameter,
      signal,
      () => new NoBillingReport(`rate card ${source} (RATE_CARD_SSM_PARAMETER) does not exist or is empty`),
    );
    const raw = parseText(text, source);
    if (isEmpty(raw)) throw new NoBillingReport(`rate card ${source} is empty`);
    return { card: parseRateCard(raw, source), source };
  }

  const text = readAsset(SHIPPED_RATE_CARD);
  if (text === null)
    throw new NoBillingReport(`no rate card: ${SHIPPED_RATE_CARD} is not shipped with this build`);
  const raw = parseText(text, SHIPPED_RATE_CARD);
  if (isEmpty(raw)) throw new NoBillingReport(`rate card ${SHIPPED_RATE_CARD} is empty`);
  return { card: parseRateCard(raw, SHIPPED_RATE_CARD), source: SHIPPED_RATE_CARD };
}

import { Directive, Field, ObjectType } from 'type-graphql';
import type { Reason } from '../../domain/rules/types';

/** Text in the state language and in English. */
@Directive('@shareable')
@ObjectType({ description: 'Text in Azerbaijani and in English.' })
export class LocalizedText {
  @Field(() => String, { description: 'Azerbaijani.' })
  az: string;

  @Field(() => String, { description: 'English.' })
  en: string;
}

/** One reason behind a decision: which rule, where the law says it, and what it found. Shared by every registry. */
@Directive('@shareable')
@ObjectType({ description: 'Why a decision came out as it did: the rule applied, its legal source, and what it found.' })
export class RuleReason {
  @Field(() => String, { description: 'Rule ID in the rules catalog (see `rules`), e.g. STAY-01.' })
  ruleId: string;

  @Field(() => String, { description: 'Where the rule comes from: the source text and, where known, the Migration Code article.' })
  citation: string;

  @Field(() => LocalizedText, { description: 'What the rule found, in Azerbaijani and English.' })
  message: LocalizedText;
}

export function toRuleReasons(reasons: readonly Reason[]): RuleReason[] {
  return reasons.map(({ ruleId, citation, message }) => ({ ruleId, citation, message: { az: message.az, en: message.en } }));
}

import { Module } from '@nestjs/common';
import { ConsentDecisionCache } from './decision-cache';

/** For services that ask the consent service's decisions: the cache, kept fresh by consent events. */
@Module({
  providers: [ConsentDecisionCache],
  exports: [ConsentDecisionCache],
})
export class ConsentClientModule {}

import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** Global: one clock for every folder of the consent service. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}

import { Module } from '@nestjs/common';
import { Clock } from '@nwd/clock';
import { DirectoryConfig } from '../directory.config';
import { ListingIndex } from './listing-index';

/** The HSDS model every directory capability shares: the derived search rows and need mapping kept in step with the tables. */
@Module({
  providers: [
    {
      provide: ListingIndex,
      inject: [DirectoryConfig, Clock],
      useFactory: (config: DirectoryConfig, clock: Clock) => new ListingIndex(config.NWD_DIRECTORY_TIME_ZONE, clock),
    },
  ],
  exports: [ListingIndex],
})
export class HsdsModule {}

import { Module } from '@nestjs/common';
import { DirectorySearchController } from './directory-search.controller';
import { DirectorySearchService } from './directory-search.service';
import { ListingSearchRepository } from './listing-search.repository';

/** The referrers' search over the listings' search rows. */
@Module({ controllers: [DirectorySearchController], providers: [DirectorySearchService, ListingSearchRepository] })
export class DirectorySearchModule {}

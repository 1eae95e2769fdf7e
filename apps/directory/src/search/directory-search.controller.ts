import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@nwd/auth';
import { SearchQueryDto } from './dto/search-query.dto';
import { SearchResponse } from './dto/search.response';
import { DirectorySearchService } from './directory-search.service';

@ApiTags('directory search')
@Controller('v1/directory/search')
export class DirectorySearchController {
  constructor(private readonly search: DirectorySearchService) {}

  @Get()
  @ApiOkResponse({ type: SearchResponse, description: 'Listings matching every filter, with facet counts and why each matched' })
  @ApiOperation({ summary: 'Search the directory' })
  find(@CurrentPrincipal() principal: Principal, @Query() query: SearchQueryDto) {
    return this.search.search(principal, query);
  }
}

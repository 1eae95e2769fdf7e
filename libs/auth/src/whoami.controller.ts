import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BaseConfig } from '@nwd/config';
import { CurrentPrincipal } from './decorators';
import { Principal } from './principal';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('v1/whoami')
export class WhoamiController {
  constructor(private readonly config: BaseConfig) {}

  @Get()
  @ApiOkResponse({ description: "The caller's organization, API client and roles, as this service verified them" })
  whoami(@CurrentPrincipal() principal: Principal) {
    return {
      organizationId: principal.organizationId,
      subject: principal.subject,
      roles: principal.roles,
      service: this.config.serviceName,
    };
  }
}

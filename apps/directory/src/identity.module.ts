import { Module } from '@nestjs/common';
import { AuditController } from './audit/audit.controller';
import { AuditLog } from './audit/audit-log';
import { ClientsController } from './clients/clients.controller';
import { ClientsService } from './clients/clients.service';
import { NetworkAdminBootstrap } from './clients/network-admin.bootstrap';
import { OAuthController } from './oauth/oauth.controller';
import { TokenService } from './oauth/token.service';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsRepository } from './organizations/organizations.repository';
import { OrganizationsResponder } from './organizations/organizations.responder';
import { OrganizationsService } from './organizations/organizations.service';

/** The network register: member organizations, their API clients and tokens, and the audit log of both. */
@Module({
  controllers: [OrganizationsController, ClientsController, OAuthController, AuditController],
  providers: [
    AuditLog,
    OrganizationsRepository,
    OrganizationsService,
    OrganizationsResponder,
    ClientsService,
    NetworkAdminBootstrap,
    TokenService,
  ],
})
export class IdentityModule {}

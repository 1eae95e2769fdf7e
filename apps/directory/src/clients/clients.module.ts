import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ClientsController } from './clients.controller';
import { ClientsService } from './clients.service';
import { NetworkAdminBootstrap } from './network-admin.bootstrap';

/** Member organizations' API clients, and the first network admin. */
@Module({
  imports: [AuditModule, OrganizationsModule],
  controllers: [ClientsController],
  providers: [ClientsService, NetworkAdminBootstrap],
})
export class ClientsModule {}

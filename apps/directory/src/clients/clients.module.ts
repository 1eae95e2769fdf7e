import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ClientsController } from './clients.controller';
import { ClientsRepository } from './clients.repository';
import { ClientsService } from './clients.service';
import { NetworkAdminBootstrap } from './network-admin.bootstrap';

/** Member organizations' API clients, and the first network admin. */
@Module({
  imports: [AuditModule, OrganizationsModule],
  controllers: [ClientsController],
  providers: [ClientsRepository, ClientsService, NetworkAdminBootstrap],
  exports: [ClientsRepository],
})
export class ClientsModule {}

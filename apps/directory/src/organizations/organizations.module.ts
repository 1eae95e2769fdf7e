import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsResponder } from './organizations.responder';
import { OrganizationsService } from './organizations.service';

/** The network's member organizations. */
@Module({
  imports: [AuditModule],
  controllers: [OrganizationsController],
  providers: [OrganizationsRepository, OrganizationsService, OrganizationsResponder],
  exports: [OrganizationsRepository],
})
export class OrganizationsModule {}

import { Module } from '@nestjs/common';
import { OrganizationRegistry } from './organization-registry';
import { ProtectionsFeed } from './protections.feed';

@Module({
  providers: [OrganizationRegistry, ProtectionsFeed],
  exports: [OrganizationRegistry],
})
export class OrganizationsModule {}

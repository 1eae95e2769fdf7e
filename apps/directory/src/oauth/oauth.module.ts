import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { OAuthController } from './oauth.controller';
import { TokenService } from './token.service';

/** Tokens for API clients (client credentials), signed with the keys of SigningKeysModule. */
@Module({ imports: [ClientsModule, OrganizationsModule], controllers: [OAuthController], providers: [TokenService] })
export class OAuthModule {}

import { ApiProperty } from '@nestjs/swagger';

/** RFC 6749 §5.1 access token response. */
export class TokenResponse {
  @ApiProperty({ description: 'RS256 JWT with sub, org, roles (and rate_limit when the client has its own)' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires (at most 900)', example: 900 })
  expires_in!: number;
}

/** RFC 7517 public key of the directory's signing keys. */
export class JsonWebKeyDto {
  @ApiProperty({ enum: ['RSA'] }) kty!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ enum: ['RS256'] }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
  @ApiProperty({ description: 'RSA modulus, base64url' }) n!: string;
  @ApiProperty({ description: 'RSA exponent, base64url', example: 'AQAB' }) e!: string;
}

export class JsonWebKeySetDto {
  @ApiProperty({ type: [JsonWebKeyDto] }) keys!: JsonWebKeyDto[];
}

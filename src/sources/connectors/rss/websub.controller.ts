import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../../auth/roles.decorator.js';
import { MAX_BODY_BYTES } from './rss.connector.js';
import { IntentVerificationQuery, PushReceipt, WebSubSourceParam } from './websub.dto.js';
import { PushTooLargeError } from './websub-errors.js';
import { WebSubService } from './websub.service.js';

// The callback a feed's WebSub hub calls. Public: the hub proves itself by the topic Paradox
// asked for and by signing each push with the subscription's secret, not with a bearer token.
@ApiTags('websub')
@Controller('websub')
export class WebSubController {
  constructor(private readonly websub: WebSubService) {}

  @Get(':sourceId')
  @Public()
  @ApiOperation({ summary: "A WebSub hub verifies that Paradox asked to subscribe to the source's feed" })
  @ApiResponse({ status: 200, description: 'The challenge, echoed as text/plain (empty for a denial of a subscription Paradox asked for)' })
  @ApiResponse({ status: 400, description: 'VALIDATION: the hub.* parameters that are wrong' })
  @ApiResponse({ status: 404, description: 'WEBSUB.NOT_REQUESTED or WEBSUB.SOURCE_NOT_FOUND' })
  async verify(@Param() { sourceId }: WebSubSourceParam, @Query() query: IntentVerificationQuery, @Res() response: Response) {
    const challenge = await this.websub.verify(sourceId, query);
    // A stranger's string goes back as it came, as plain text the browser must not sniff.
    response.status(200).type('text/plain').set('X-Content-Type-Options', 'nosniff').send(challenge);
  }

  @Post(':sourceId')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: "A WebSub hub pushes the source's feed: new entries reach the queue within seconds" })
  @ApiResponse({ status: 202, type: PushReceipt })
  @ApiResponse({ status: 404, description: 'WEBSUB.SOURCE_NOT_FOUND' })
  @ApiResponse({ status: 410, description: 'WEBSUB.NO_SUBSCRIPTION: the hub should drop the subscription' })
  @ApiResponse({ status: 413, description: 'WEBSUB.TOO_LARGE' })
  async receive(@Param() { sourceId }: WebSubSourceParam, @Req() request: Request & { rawBody?: Buffer }) {
    return this.websub.receive(
      sourceId,
      { signature: request.header('x-hub-signature'), link: request.header('link'), contentType: request.header('content-type') },
      async () => request.rawBody ?? (await bodyOf(request)),
    );
  }
}

// Feeds arrive as XML, which no body parser reads: the bytes as sent, which the signature covers.
async function bodyOf(request: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new PushTooLargeError(MAX_BODY_BYTES);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

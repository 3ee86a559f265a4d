import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OutgoingSms, SmsSender } from '../../ports/sms-sender';

/** Sends through Amazon SNS as a Transactional SMS (higher delivery priority than Promotional). */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly senderId?: string,
  ) {}

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    const senderId = sms.senderId ?? this.senderId;
    const result = await this.client.send(
      new PublishCommand({
        PhoneNumber: sms.e164,
        Message: sms.body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId } } : {}),
        },
      }),
    );
    if (!result.MessageId) throw new Error('SNS accepted the publish but returned no MessageId');
    return { messageId: result.MessageId };
  }
}

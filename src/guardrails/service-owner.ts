import { IConstruct } from 'constructs';
import { validateAccountId } from '../validation';

/** Who owns an endpoint service, as the condition key `ec2:VpceServiceOwner` names it. */
export class ServiceOwner {
  /** Services of AWS itself (`amazon`). */
  public static amazon(): ServiceOwner {
    return new ServiceOwner('amazon');
  }

  /** Services of the AWS Marketplace (`aws-marketplace`). */
  public static awsMarketplace(): ServiceOwner {
    return new ServiceOwner('aws-marketplace');
  }

  /** Services owned by this AWS account: 12 digits. */
  public static account(accountId: string): ServiceOwner {
    return new ServiceOwner(accountId, true);
  }

  private constructor(private readonly value: string, private readonly isAccount = false) {}

  /** @internal */
  public _render(scope: IConstruct): string {
    if (this.isAccount) validateAccountId(scope, this.value, 'account ID in ServiceOwner.account()');
    return this.value;
  }
}

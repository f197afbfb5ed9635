/** Shapes of the rows the pages read (GraphQL field names; numeric values arrive as strings). */
export interface Account {
  mobileNo: string;
  nationalId: number;
  balance: string;
  points: number;
  accountType: string;
  status: string;
  startDate: string;
}

export interface Plan {
  planId: number;
  name: string;
  price: string;
  smsOffered: number;
  minutesOffered: number;
  dataOffered: number;
  description: string | null;
}

export interface Subscription {
  mobileNo: string;
  planId: number;
  subscriptionDate: string;
  status: string;
}

export interface Usage {
  planId: number;
  planName: string;
  dataConsumption: number;
  minutesUsed: number;
  smsSent: number;
}

export interface Wallet {
  walletId: number;
  mobileNo: string;
  currentBalance: string;
  currency: string;
  lastModifiedDate: string;
}

export interface Payment {
  paymentId: number;
  mobileNo: string;
  amount: string;
  dateOfPayment: string;
  paymentMethod: string;
  status: string;
}

export const PLAN_FIELDS = "planId name price smsOffered minutesOffered dataOffered description";
export const PAYMENT_FIELDS = "paymentId mobileNo amount dateOfPayment paymentMethod status";

/**
 * AWS Region codes, one pattern for every reader (the price estimator, `agentguard cost
 * --region`, the agent registry): `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`.
 */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

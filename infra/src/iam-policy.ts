/** @module IAM policy documents: the pure builders live in @spotify-lake/lake-iam (shared with the local S3's IAM gate). */
export {
  bucketArnOf,
  objectArn,
  type PolicyDocument,
  type PolicyStatement,
  toPolicyDocument,
  toPolicyJson,
} from '@spotify-lake/lake-iam'

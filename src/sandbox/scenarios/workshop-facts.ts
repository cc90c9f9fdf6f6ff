/**
 * The fixed facts of the `workshop` scenario (docs/sandbox.md, ../shared/reference/workshop-scenario.md).
 * Tests, the demo and the benchmarks refer to these constants rather than repeating literals.
 * Secret keys here are sandbox-only values and never valid anywhere else.
 */
export const WORKSHOP = {
  accountId: '111122223333',
  homeRegion: 'us-west-2',
  globalRegion: 'us-east-1',
  detectors: {
    'us-west-2': '12abc34d567e8fa901bc2d34eexample',
    'us-east-1': '5cb0d8a2e1f34c6d9b7a8e0f1d2cexmp',
  } as Record<string, string>,

  /** The analyst running gd-ir (the sandbox credentials `--sandbox` uses). */
  analyst: {
    userName: 'ir-analyst',
    userId: 'AIDAANALYST0EXAMPLE01',
    accessKeyId: 'AKIAANALYST000EXAMPLE',
    secretAccessKey: 'sandbox/analyst/secret/not-a-real-key/000000',
  },

  /** The compromised user of scenario 2. */
  compromised: {
    userName: 'GuardDuty-Example-Compromised-Simulated',
    userId: 'AIDACOMPROMISED0EXAMPLE',
    accessKeyId: 'AKIAQCOMPROMISED0EX1',
    secretAccessKey: 'sandbox/compromised/secret/not-a-real-key/111',
    inlinePolicyName: 'GuardDuty-Example-Compromised-Simulated-SSM',
    /** The ASIA key the attacker minted with GetSessionToken. */
    derivedSessionKeyId: 'ASIAQDERIVEDSESSION01',
    /** Sandbox-only secret of the derived session credentials. */
    derivedSessionSecret: 'sandbox/derived-session/secret/not-a-real-key/1',
  },

  /** A second user with managed, inline and group policies and a permissions boundary. */
  developer: {
    userName: 'dev-alice',
    groupName: 'developers',
    boundaryPolicyName: 'DeveloperBoundary',
    accessKeyId: 'AKIAQDEVALICE0EXAMPL',
    userId: 'AIDAQDEVALICE0EXAMPLE',
    secretAccessKey: 'sandbox/dev-alice/secret/not-a-real-key/0000000',
    /** dev-alice's second, Inactive key. */
    inactiveAccessKeyId: 'AKIAQDEVALICE0OLDKEY',
    groupId: 'AGPAQDEVELOPERS0EXMPL',
    ip: '203.0.113.45',
    userAgent: 'aws-cli/2.17.12 Python/3.12.4 Darwin/23.5.0 exe/arm64 prompt/off',
    /** Her browser, in her console sign-ins. */
    consoleUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    /**
     * Where her console sign-ins are recorded: she signs in through the global endpoint with the account alias cookie
     * set, so CloudTrail records ConsoleLogin in us-east-2, eu-north-1 or ap-southeast-2, by latency (CloudTrail
     * User Guide, "AWS Management Console sign-in events").
     */
    signInRegion: 'us-east-2',
    /** Her virtual MFA device (MFAIdentifier of her sign-ins). */
    mfaSerial: 'arn:aws:iam::111122223333:mfa/dev-alice',
  },

  /**
   * Failed console sign-ins as dev-alice, one day before now, from a host that never signed in before; recorded in
   * us-east-1 (no account alias cookie: the global sign-in). Failures carry errorMessage and no errorCode.
   */
  passwordGuessing: {
    ip: '198.51.100.201',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    attempts: 6,
  },

  /** The role of scenario 3 (instance credential exfiltration). */
  role: {
    roleName: 'GuardDuty-Example-EC2-Compromised-Role',
    sessionKeyId: 'ASIAQROLESESSION0EX1',
    roleId: 'AROAQCOMPROMISEDROLE1',
    /** The compromised instance whose role credentials were exfiltrated (the session name). */
    instanceId: 'i-0abc1234def567890',
    instanceProfileName: 'GuardDuty-Example-EC2-Compromised-Profile',
    /** Where the exfiltrated role credentials were used from (outside AWS; not on the threat list). */
    exfilIp: '192.0.2.199',
    exfilUserAgent: 'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0-kali3-amd64 md/arch#x86_64 lang/python#3.11.8',
    sessionSecret: 'sandbox/role-session/secret/not-a-real-key/00000',
  },

  /** The attacker-controlled ("malicious") instance of scenario 1, whose Elastic IP is on the threat list. */
  maliciousInstanceId: 'i-0def5678abc901234',

  threatListIp: '198.51.100.77',
  threatListName: 'GuardDuty-Example-Custom-Threat-List',
  corporateIp: '203.0.113.10',
  ciUserAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off command/ssm.get-parameters ci/jenkins',
  attackerUserAgent: 'aws-cli/1.18.147 Python/2.7.18 Linux/4.14.200-155.322.amzn2.x86_64 botocore/1.18.6',

  /**
   * Hostile strings (terminal escapes: CSI colour, an OSC 8 hyperlink, CR, backspace, a bidi override). They appear in
   * the attacker's derived-session user agent (CloudTrail and the KaliLinux finding), in one attacker requestParameters
   * and in an instance tag. Renderers must neutralise them.
   */
  hostileUserAgent:
    'aws-cli/1.18.147 Python/3.11.9 Linux/6.6.9-kali1-amd64 \u001b[31mkali\u001b[0m \u001b]8;;http://evil.example\u0007docs\u001b]8;;\u0007\r\b\b\u202eevil',
  hostileParameterName: '/prod/db/password\u001b[2J\u001b[31m\u001b]8;;http://evil.example\u0007x\u001b]8;;\u0007\r\b\u202eTERCES',
  hostileTagValue: 'web-01\u001b[5m\u001b]8;;http://evil.example\u0007owned\u001b]8;;\u0007\r\b\u202e',

  findings: {
    /** UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom, us-west-2. */
    unauthorizedAccessCustom: '0ac1e1b4c6f24d27a1c1d2e3f4a5b6c7',
    /** Recon:IAMUser/MaliciousIPCaller.Custom, us-west-2. */
    reconCustom: '1bd2f2c5d7a35e38b2d2e3f4a5b6c7d8',
    /** UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS (AssumedRole). */
    credentialExfiltration: '2ce3a3d6e8b46f49c3e3f4a5b6c7d8e9',
    /** A sample finding (additionalInfo.sample = true). */
    sample: '3df4b4e7f9c57a5ad4f4a5b6c7d8e9fa',
    /** Policy:IAMUser/RootCredentialUsage. */
    rootUsage: '4ea5c5f8a0d68b6be5a5b6c7d8e9fa0b',
    /** UnauthorizedAccess:EC2/MaliciousIPCaller.Custom (scenario 1). */
    ec2MaliciousIp: '5fb6d6a9b1e79c7cf6b6c7d8e9fa0b1c',
    /** CryptoCurrency:EC2/BitcoinTool.B!DNS (scenario 1). */
    bitcoinDns: '60c7e7b0c2f80d8d07c7d8e9fa0b1c2d',
    /** UnauthorizedAccess:EC2/SSHBruteForce (scenario 1). */
    sshBruteForce: '71d8f8c1d3091e9e18d8e9fa0b1c2d3e',
    /** PenTest:IAMUser/KaliLinux on the derived session key; its user agent carries terminal escapes. */
    hostileKali: '82e909d2e41a2fa029e9fa0b1c2d3e4f',
    /** Exfiltration:S3/MaliciousIPCaller (High, S3Bucket). */
    s3Exfiltration: '93fa1ae3f52b30b13afa0b1c2d3e4f50',
    /** Discovery:Kubernetes/SuccessfulAnonymousAccess (EKSCluster). */
    kubernetesAnonymous: 'a40b2bf4063c41c24b0b1c2d3e4f5061',
    /** Archived: Recon:EC2/PortProbeUnprotectedPort. */
    archivedPortProbe: 'b51c3c05174d52d35c1c2d3e4f506172',
    /** Archived: Policy:S3/BucketBlockPublicAccessDisabled. */
    archivedBucketPolicy: 'c62d4d16285e63e46d2d3e4f50617283',
    /** Archived: Recon:EC2/Portscan. */
    archivedPortscan: 'd73e5e27396f74f57e3e4f5061728394',
    /** us-east-1: Discovery:IAMUser/AnomalousBehavior for dev-alice. */
    aliceAnomalous: 'e84f6f384a7085068f4f506172839405',
    /** us-east-1: Stealth:IAMUser/PasswordPolicyChange. */
    passwordPolicyChange: 'f95070495b8196179050617283940516',
  },
} as const;

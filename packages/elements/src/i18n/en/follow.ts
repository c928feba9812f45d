/** The follow part of the catalogue, in English: the follow code (关注码) the topic form and <consult-my-topics> share. Its keys are the part's; ../zh-CN/follow.ts must have every one. */
export const messages = {
  'follow.label': 'Your follow code',
  'follow.spoken': 'Read aloud: {spoken}',
  'follow.copy': 'Copy the code',
  'follow.copied': 'Follow code copied.',
  'follow.selected': 'The code is selected: copy it with your device’s copy command.',
  'follow.qrLabel': 'QR code that opens this page with follow code {code}',
  'follow.qrCaption': 'Scan it with another phone to follow this topic there.',
  'follow.pending': 'Your follow code will appear here once your topic has been sent.',
  'follow.keep': 'Keep this code: with it you can follow, rate or withdraw your topic on any device.',
  'follow.show': 'Show the follow code',
};

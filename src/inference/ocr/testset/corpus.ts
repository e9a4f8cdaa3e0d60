/**
 * Lines for the rendered OCR test set: what screenshots sent to a team bot tend to show (errors,
 * dashboards, documents). Chinese lines use only characters of PP-OCR's dictionary and of
 * tesseract's chi_sim, and common punctuation.
 */
export const ENGLISH_LINES = [
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
  'TypeError: Cannot read properties of undefined',
  'Build failed after 3 minutes and 12 seconds',
  'Deployment to production completed successfully',
  'CPU usage 87% on node worker-3',
  'Request timed out while waiting for the server',
  'Quarterly revenue grew by 14 percent',
  'Please review the pull request before Friday',
  'Memory limit exceeded: 512 MB',
  'The meeting has been moved to Tuesday at 10 am',
  'Disk space is running low on volume data',
  'Permission denied while opening the config file',
  'Latency p99 went from 120 ms to 340 ms',
  'Customer satisfaction score is 4.6 out of 5',
  'Version 2.8.1 fixes the login bug',
  'Tests passed: 482, failed: 3, skipped: 0',
];

export const CHINESE_LINES = [
  '数据库连接失败，请检查网络设置',
  '本季度的销售额比去年增长了百分之十五',
  '服务器内存不足，任务已经停止',
  '请在周五之前完成代码审查',
  '用户登录时出现未知错误',
  '今天下午三点在会议室开会',
  '系统将在今晚十二点进行升级',
  '文件上传成功，共计二十个文件',
  '这个版本修复了多个安全问题',
  '订单处理时间平均为两分钟',
  '请联系管理员获取访问权限',
  '新功能已经在测试环境上线',
  '磁盘空间即将用完，请及时清理',
  '项目进度比计划提前了一周',
  '配置文件格式错误，无法读取',
  '客户满意度调查结果已经发布',
];

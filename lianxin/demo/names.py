"""Invented people and units for the demo city: every name here is made up.

Surnames are weighted towards those common along the Zhejiang coast; given names are
drawn character by character, so the same full name turns up now and then, as it
does in any real roster.
"""

# (surname, weight): common on the Zhoushan islands first, then national ones.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 9),
    ("陈", 9),
    ("张", 7),
    ("李", 6),
    ("林", 6),
    ("徐", 5),
    ("胡", 5),
    ("周", 5),
    ("刘", 4),
    ("金", 4),
    ("余", 4),
    ("孙", 3),
    ("朱", 3),
    ("毛", 3),
    ("贺", 2),
    ("乐", 2),
    ("虞", 2),
    ("邬", 2),
    ("应", 2),
    ("叶", 2),
    ("吴", 3),
    ("杨", 3),
    ("黄", 3),
    ("赵", 2),
    ("郑", 2),
    ("何", 2),
    ("马", 2),
    ("沈", 2),
    ("蒋", 2),
    ("钱", 2),
    ("方", 2),
    ("傅", 2),
    ("丁", 1),
    ("夏", 1),
    ("邵", 1),
    ("翁", 1),
    ("姚", 1),
    ("董", 1),
    ("谢", 1),
    ("江", 1),
    ("柴", 1),
    ("包", 1),
    ("严", 1),
    ("顾", 1),
    ("竺", 1),
)

GIVEN_MALE = "海峰涛波军伟强明杰俊斌建国华平东兴勇刚磊鹏辉浩宇航帆舟渔礼祥康德志永成庆阳晨"
GIVEN_FEMALE = "丽芳娟敏静燕红霞萍艳玲婷琳洁雪梅琴慧颖倩佳怡欣悦露秀月珍凤蓉菊青晓"
GIVEN_ANY = "文明安宁和春秋立新金银志一子海卫晓云红"

# (ethnicity, weight): almost everyone in the islands is Han.
ETHNICITIES: tuple[tuple[str, int], ...] = (
    ("汉族", 975),
    ("回族", 5),
    ("畲族", 5),
    ("土家族", 4),
    ("苗族", 4),
    ("满族", 3),
    ("壮族", 2),
    ("蒙古族", 2),
)

# (native place, ID region prefix, weight) for people born outside Zhoushan.
ELSEWHERE: tuple[tuple[str, str, int], ...] = (
    ("浙江宁波", "330203", 5),
    ("浙江台州", "331002", 4),
    ("浙江温州", "330302", 3),
    ("江苏南通", "320602", 2),
    ("安徽安庆", "340802", 2),
    ("江西上饶", "361102", 2),
    ("河南信阳", "411502", 2),
    ("四川达州", "511702", 2),
    ("福建宁德", "350902", 1),
)

# Work titles by organization sector; the secretary's title is set separately.
POSTS: dict[str, tuple[str, ...]] = {
    "organ": ("科员", "一级科员", "四级主任科员", "二级主任科员", "副科长", "科长", "副处长", "处长", "副局长"),
    "public_institution": ("专技人员", "管理岗", "工程师", "助理工程师", "中心主任", "副主任"),
    "state_enterprise": ("工程师", "调度员", "技术员", "部门经理", "安全员", "码头操作员", "会计"),
    "private_enterprise": ("技术员", "焊工", "车间主任", "销售经理", "工程师", "质检员", "行政专员", "总经理"),
    "social_organization": ("社工", "律师", "物业管理员", "项目主管", "快递员", "网约车司机", "外卖骑手"),
    "village": ("村民", "渔民", "养殖户", "个体工商户", "村委委员", "网格员", "民宿经营户"),
    "community": ("社区工作者", "网格员", "居民", "个体工商户", "灵活就业", "楼道长"),
    "school": ("教师", "班主任", "教研组长", "教导主任", "副校长", "校长"),
    "hospital": ("医师", "主治医师", "副主任医师", "护士", "护师", "护士长", "药剂师"),
    "mobile": ("船长", "大副", "二副", "轮机长", "水手", "船员", "机工"),
}
RETIRED_POST = "退休"

# City departments (市直机关): (name, large). Large ones get a 机关党委 with several branches.
CITY_DEPARTMENTS: tuple[tuple[str, bool], ...] = (
    ("市委组织部", False),
    ("市财政局", True),
    ("市经信局", False),
    ("市港航和口岸局", True),
    ("市市场监管局", True),
    ("市资源规划局", True),
    ("市投资促进中心", False),
    ("市教育服务中心", False),
    ("市委办公室", False),
    ("市委宣传部", False),
    ("市委社会工作部", False),
    ("市纪委市监委", True),
    ("市发改委", True),
    ("市公安局", True),
    ("市民政局", False),
    ("市人力社保局", True),
    ("市生态环境局", False),
    ("市住建局", True),
    ("市交通运输局", True),
    ("市农业农村局", True),
    ("市海洋与渔业局", True),
    ("市商务局", False),
    ("市文广旅体局", True),
    ("市卫健委", True),
    ("市应急管理局", False),
    ("市统计局", False),
    ("市医保局", False),
    ("市司法局", False),
    ("市审计局", False),
    ("市退役军人事务局", False),
    ("市信访局", False),
    ("市政务服务办", False),
    ("市行政审批服务中心", False),
    ("市大桥建设管理中心", False),
    ("市住房公积金中心", False),
    ("市人大常委会办公室", False),
    ("市政协办公室", False),
    ("市档案馆", False),
    ("市气象局", False),
    ("市总工会", False),
    ("团市委", False),
    ("市妇联", False),
    ("市科协", False),
    ("市社科联", False),
    ("市残联", False),
)
# The small demo keeps the departments the seeds name.
SMALL_DEPARTMENT_COUNT = 8

DISTRICT_DEPARTMENTS: tuple[str, ...] = (
    "区委办公室",
    "区委组织部",
    "区委宣传部",
    "区纪委区监委",
    "区发改局",
    "区财政局",
    "区民政局",
    "区人力社保局",
    "区住建局",
    "区农业农村局",
    "区海洋与渔业局",
    "区市场监管局",
    "区卫健局",
    "区教育局",
    "区应急管理局",
    "区司法局",
    "区审计局",
    "区统计局",
    "区医保局",
    "区退役军人事务局",
    "区文广旅体局",
    "区商务局",
    "区信访局",
    "区政务服务办",
    "区总工会",
    "团区委",
    "区妇联",
    "区人大常委会办公室",
    "区政协办公室",
    "区档案馆",
)

# Pieces for invented company names: brand + trade.
COMPANY_BRANDS = (
    "海鑫",
    "东海",
    "金海",
    "蓝湾",
    "舟通",
    "港润",
    "鑫泰",
    "甬舟",
    "海晟",
    "远帆",
    "航盛",
    "洋鑫",
    "岛澜",
    "宏港",
    "华洋",
    "海岚",
    "瑞航",
    "长兴",
    "沧海",
    "银浪",
    "礁石",
    "群岛",
    "新洋",
    "盛海",
    "海力",
    "浪潮",
    "潮汐",
    "渔丰",
    "海舟",
    "晨航",
)
COMPANY_TRADES = (
    "船舶修造有限公司",
    "水产品加工有限公司",
    "海洋科技有限公司",
    "港口物流有限公司",
    "石化储运有限公司",
    "远洋渔业有限公司",
    "船务有限公司",
    "机械制造有限公司",
    "电子科技有限公司",
    "建设工程有限公司",
    "食品有限公司",
    "海工装备有限公司",
    "新材料有限公司",
    "文旅发展有限公司",
    "智能安防有限公司",
)
SOCIAL_ORGANIZATIONS = (
    ("律师事务所", "律师行业"),
    ("物业服务有限公司", "物业行业"),
    ("社会工作服务中心", "社会组织"),
    ("志愿者协会", "社会组织"),
    ("快递服务站", "快递物流行业"),
    ("网约车服务中心", "新就业群体"),
)
SHIPPING_FLEETS = (
    "江海联运船",
    "远洋渔业船队",
    "江海直达船",
    "沿海散货船",
    "油品运输船",
    "集装箱支线船",
    "客滚运输船",
    "港作拖轮",
    "海上风电运维船",
    "近海捕捞船队",
)
STATE_ENTERPRISES = (
    "舟山港务集团",
    "舟山交通投资集团",
    "舟山海洋综合开发投资集团",
    "舟山水务集团",
    "舟山城市建设投资集团",
    "舟山旅游集团",
    "舟山国际粮油集散中心",
    "舟山普陀山机场公司",
)
STATE_ENTERPRISE_UNITS = ("机关", "生产运行一部", "生产运行二部", "工程管理部", "财务审计部", "离退休职工")
# Projects with a 临时党支部 (seed 002), and the district where each is built.
TEMPORARY_PROJECTS = (("六横大桥项目", "普陀区"), ("甬舟铁路项目", "定海区"), ("金塘新材料项目", "定海区"))
CITY_SCHOOLS = (
    "舟山中学",
    "舟山第一中学",
    "舟山职业技术学校",
    "舟山航海学校",
    "定海第二中学",
    "普陀中学",
    "岱山中学",
    "嵊泗中学",
    "舟山南海实验学校",
    "舟山开放大学",
)
CITY_HOSPITALS = ("舟山医院", "舟山市妇女儿童医院", "舟山市中医院", "舟山市第二人民医院", "舟山市疾控中心")
HOSPITAL_DEPARTMENTS = ("机关", "内科", "外科", "护理", "医技", "离退休")
PRIVATE_HOSPITALS = ("岱山广华骨伤医院", "舟山和康医院", "普陀仁爱医院", "定海惠民口腔医院", "嵊泗海岛康复医院")

ROADS = ("海港路", "人民路", "渔港路", "兴岛路", "港湾路", "昌国路", "东海路", "文化路", "环城路", "新建路", "翁山路")

ORDINALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """第n in Chinese numerals, for 第一党支部 … 第十九党支部."""
    if n <= 10:
        return ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else ORDINALS[tens - 1]) + "十" + (ORDINALS[ones - 1] if ones else "")

package cn.clinicaltext.workbench.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Makes a synthetic corpus of Chinese endoscopy, colonoscopy, pathology and hepatobiliary/pancreatic reports,
 * labelled 0 (neither), 1 (upper digestive tract) or 2 (lower digestive tract). The hospital data of the original
 * project is private; this corpus only stands in for it so that every notebook runs.
 * <p>
 * It is built so that no single keyword separates the classes, with the traps a keyword rule falls into:
 * 十二指肠 contains 肠 but is upper GI; 贲门/幽门 name no 胃; haemorrhoids, anal fistulae and the ileocaecal valve
 * name no 肠 or 肛门; reports that name both tracts but whose finding is in one; ERCP reports that pass through the
 * duodenum; pancreatitis notes with 胃肠减压; procedures with no site; negations such as 未见明显异常; numbers,
 * units, full-width punctuation and quotes. A configurable share of labels is flipped (label noise).
 */
public final class SyntheticCorpusGenerator {
    private static final int MAX_CHARS = 200;

    private final Random random;

    private SyntheticCorpusGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** The generated corpus and the (0-based) indices of the records whose label was flipped by label noise. */
    public record Result(Corpus corpus, List<Integer> noisyIndices) {
    }

    public static Result generate(SyntheticCorpusConfig config) {
        return new SyntheticCorpusGenerator(config.seed()).run(config);
    }

    private Result run(SyntheticCorpusConfig config) {
        int[] counts = new int[3];
        int assigned = 0;
        for (int c = 0; c < 3; c++) {
            counts[c] = (int) Math.round(config.size() * config.classShares()[c]);
            assigned += counts[c];
        }
        counts[1] += config.size() - assigned;
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < counts[c]; i++) {
                labels.add(c);
            }
        }
        Collections.shuffle(labels, random);
        List<LabeledText> records = new ArrayList<>();
        List<Integer> noisy = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            int label = labels.get(i);
            String body = switch (label) {
                case 1 -> upper();
                case 2 -> lower();
                default -> neither();
            };
            String text = cap(random.nextDouble() < OPENING_SHARE ? pick(OPENINGS) + body : body);
            int recorded = label;
            if (random.nextDouble() < config.labelNoise()) {
                recorded = (label + 1 + random.nextInt(2)) % 3;
                noisy.add(i);
            }
            records.add(new LabeledText(text, recorded));
        }
        return new Result(Corpus.of(records, 3), List.copyOf(noisy));
    }

    // ---- openings shared by every class -----------------------------------------------------------------------

    /**
     * Share of texts that start with a class-neutral opening. Without them the first character gave the class away
     * (胃 upper GI 88%, 进 lower GI 97%, 十 upper GI 100%: first-character purity 0.81 against 0.47 for the
     * majority class), and attribution peaked on the first character whatever it was. With them the decisive words
     * move away from position 1 in most texts.
     */
    private static final double OPENING_SHARE = 0.7;
    private static final String[] OPENINGS = {
            "检查所见：", "内镜所见：", "镜下所见：", "诊断意见：", "检查结论：", "初步诊断：", "报告：", "补充报告：",
            "门诊患者，", "住院患者，", "外院转诊，", "复查：", "今日行检查，", "麻醉下检查，", "术前检查：",
            "【结论】", "经知情同意，", "会诊意见："};

    // ---- class 1: oesophagus, stomach, duodenum -------------------------------------------------------------

    private static final String[] UPPER_SITES = {
            "食管上段", "食管中段", "食管下段", "距门齿30cm食管", "食管胃交界处", "贲门", "胃底", "胃体上部",
            "胃体中部大弯侧", "胃体下部小弯侧", "胃角", "胃窦前壁", "胃窦后壁", "胃窦小弯", "幽门前区", "幽门",
            "十二指肠球部", "十二指肠球部前壁", "十二指肠降部", "十二指肠乳头旁"};
    private static final String[] UPPER_DIAGNOSES = {
            "慢性浅表性胃炎", "慢性浅表性胃炎伴糜烂", "慢性萎缩性胃炎（C-2型）", "慢性萎缩性胃炎伴肠化",
            "反流性食管炎（LA-A级）", "反流性食管炎（LA-B级）", "Barrett食管", "胃溃疡（A1期）", "胃溃疡（H2期）",
            "十二指肠球部溃疡（A1期）", "十二指肠球部溃疡（S1期）", "十二指肠球炎", "胃息肉", "胃底腺息肉",
            "食管静脉曲张（重度）", "胃底静脉曲张", "贲门失弛缓症", "食管裂孔疝", "胆汁反流性胃炎",
            "胃窦早癌", "进展期胃癌（Borrmann Ⅲ型）", "食管鳞癌", "贲门癌", "胃间质瘤", "胃黏膜下隆起",
            "十二指肠憩室", "幽门梗阻", "Hp相关性胃炎", "食管乳头状瘤", "贲门黏膜撕裂综合征"};
    private static final String[] UPPER_PATHOLOGY = {
            "黏膜慢性炎", "黏膜慢性活动性炎", "黏膜慢性炎伴肠上皮化生", "低级别上皮内瘤变", "高级别上皮内瘤变",
            "腺癌，中分化", "腺癌，低分化", "印戒细胞癌", "鳞状细胞癌", "胃底腺息肉", "增生性息肉",
            "鳞状上皮轻度不典型增生", "黏膜内癌", "胃肠间质瘤，低危"};
    private static final String[] UPPER_PATHOLOGY_SITES = {"胃窦", "胃角", "胃体", "贲门", "食管", "十二指肠球部", "幽门"};
    private static final String[] UPPER_PROCEDURES = {
            "胃镜", "电子胃镜", "无痛胃镜", "超声胃镜", "胃镜复查"};
    private static final String[] UPPER_THERAPY = {
            "行EMR切除", "行ESD完整切除", "予APC烧灼", "予钛夹夹闭", "行EVL套扎4环", "予组织胶注射",
            "行POEM术", "予活检1块", "予活检2块", "予热活检钳除", "予去甲肾上腺素盐水喷洒止血"};

    private String upper() {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> upperFinding();
            case 3 -> pick(UPPER_DIAGNOSES) + maybe("，" + advice(), "，" + pick(UPPER_THERAPY), "");
            case 4 -> pathology(UPPER_PATHOLOGY_SITES, UPPER_PATHOLOGY) + maybe("，Hp(+)", "，Hp（-）", "");
            case 5 -> random.nextInt(3) == 0 ? upperNormal() : upperNormal() + "；" + upperFinding();
            case 6 -> bothTracts(upperFinding(), lowerNormalShort());
            case 7 -> duodenumOnly();
            case 8 -> random.nextInt(3) == 0 ? upperShort() : upperShort() + "，" + advice();
            default -> report(this::upperFinding, UPPER_PATHOLOGY_SITES, UPPER_PATHOLOGY);
        };
    }

    /** A longer report: history, two or three findings, often a pathology line and advice (up to 200 chars). */
    private String report(Supplier<String> finding, String[] pathologySites, String[] pathology) {
        StringBuilder text = new StringBuilder();
        if (random.nextBoolean()) {
            text.append(history());
        }
        int findings = 1 + random.nextInt(3);
        for (int i = 0; i < findings; i++) {
            text.append(finding.get()).append(i + 1 < findings ? "；" : "。");
        }
        if (random.nextBoolean()) {
            text.append(pathology(pathologySites, pathology)).append("。");
        }
        if (random.nextBoolean()) {
            text.append(advice()).append("。");
        }
        return text.toString();
    }

    private String upperFinding() {
        String site = pick(UPPER_SITES);
        String finding = switch (random.nextInt(7)) {
            case 0 -> "见一" + size() + "息肉样隆起";
            case 1 -> "见一" + pick("纵行", "片状", "不规则") + "糜烂";
            case 2 -> "见一" + size() + "溃疡，底覆白苔，周边黏膜充血水肿";
            case 3 -> "黏膜" + pick("充血水肿", "粗糙", "红白相间，以白为主", "花斑样改变");
            case 4 -> "见" + pick("一条", "三条", "多条") + "迂曲静脉，红色征" + pick("阳性", "阴性");
            case 5 -> "见一黏膜下隆起，表面光滑，超声示起源于固有肌层";
            default -> "见一" + size() + "不规则肿物，质脆易出血，累及管腔约" + pick("1/2", "1/3", "2/3") + "周";
        };
        return maybe(pick(UPPER_PROCEDURES) + "：", "") + site + finding + maybe("，" + pick(UPPER_THERAPY), "")
                + maybe("，诊断：" + pick(UPPER_DIAGNOSES), "");
    }

    private String upperNormal() {
        return pick("食管、胃、十二指肠未见明显异常", "胃镜检查未见明显异常", "食管黏膜光滑，贲门齿状线清晰，未见明显异常",
                "胃镜：食管未见静脉曲张，胃底黏液湖清，胃体皱襞规则", "十二指肠球部及降部未见异常", "幽门圆，开闭好，未见溃疡");
    }

    /** Upper GI findings that name no 胃 or 食管 and contain 肠 (十二指肠) or 门 (贲门, 幽门): a keyword trap. */
    private String duodenumOnly() {
        return pick("十二指肠球部", "十二指肠降部", "贲门", "幽门管", "十二指肠乳头")
                + pick("见一" + size() + "溃疡（A2期）", "黏膜充血糜烂", "见一憩室，内无食物残渣", "变形，见线状溃疡",
                "见一" + size() + "隆起，予活检", "狭窄，内镜通过困难", "见一异物嵌顿，予网篮取出");
    }

    private String upperShort() {
        return pick("胃炎", "胃癌", "食管癌", "胃溃疡", "贲门癌", "胃息肉", "十二指肠溃疡", "反流性食管炎", "萎缩性胃炎",
                "幽门梗阻", "食管狭窄", "胃出血");
    }

    // ---- class 2: colon, rectum, anus, terminal ileum ----------------------------------------------------------

    private static final String[] LOWER_SITES = {
            "回肠末端", "回盲部", "回盲瓣", "阑尾开口旁", "升结肠", "结肠肝曲", "横结肠", "结肠脾曲", "降结肠",
            "乙状结肠", "直乙交界", "直肠", "距肛缘5cm直肠", "距肛缘25cm乙状结肠", "肛管"};
    private static final String[] LOWER_DIAGNOSES = {
            "结肠息肉", "直肠息肉", "多发性结肠息肉", "溃疡性结肠炎（Mayo 2分）", "溃疡性直肠炎", "克罗恩病",
            "结肠黑变病", "结肠憩室", "直肠癌", "乙状结肠癌", "升结肠癌", "混合痔", "内痔（Ⅱ度）", "肛瘘",
            "肛裂", "肛周脓肿", "缺血性结肠炎", "放射性直肠炎", "回盲部溃疡", "肠结核待排", "直肠类癌",
            "家族性腺瘤性息肉病", "结肠侧向发育型肿瘤（LST-G）"};
    private static final String[] LOWER_PATHOLOGY = {
            "管状腺瘤", "管状腺瘤伴低级别上皮内瘤变", "绒毛状管状腺瘤", "锯齿状腺瘤", "增生性息肉", "炎性息肉",
            "腺癌，中分化", "黏液腺癌", "神经内分泌肿瘤（G1）", "慢性活动性炎，隐窝脓肿形成", "黏膜慢性炎"};
    private static final String[] LOWER_PATHOLOGY_SITES = {"升结肠", "横结肠", "降结肠", "乙状结肠", "直肠", "回盲部", "回肠末端"};
    private static final String[] LOWER_PROCEDURES = {"结肠镜", "电子结肠镜", "无痛肠镜", "肠镜复查", "乙状结肠镜"};
    private static final String[] LOWER_THERAPY = {
            "予EMR切除", "予冷圈套切除", "予钛夹2枚夹闭创面", "行ESD完整切除", "予活检2块", "予热活检钳除",
            "行内镜下球囊扩张", "予APC治疗", "建议外科手术"};

    private String lower() {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> lowerFinding();
            case 3 -> pick(LOWER_DIAGNOSES) + maybe("，" + advice(), "，" + pick(LOWER_THERAPY), "");
            case 4 -> pathology(LOWER_PATHOLOGY_SITES, LOWER_PATHOLOGY);
            case 5 -> random.nextInt(3) == 0 ? lowerNormal() : lowerNormal() + "；" + lowerFinding();
            case 6 -> bothTracts(upperNormalShort(), lowerFinding());
            case 7 -> analOnly();
            case 8 -> random.nextInt(3) == 0 ? lowerShort() : lowerShort() + "，" + advice();
            case 9 -> "肠道准备" + pick("良好", "欠佳，可见较多粪水", "一般") + "，BBPS评分" + (3 + random.nextInt(7))
                    + "分，退镜观察时间>" + (6 + random.nextInt(5)) + "min。" + lowerFinding();
            default -> report(this::lowerFinding, LOWER_PATHOLOGY_SITES, LOWER_PATHOLOGY);
        };
    }

    private String lowerFinding() {
        String site = pick(LOWER_SITES);
        String finding = switch (random.nextInt(7)) {
            case 0 -> "见一枚" + pick("亚蒂", "广基", "长蒂", "山田Ⅱ型") + "息肉，大小约" + size();
            case 1 -> "黏膜充血水肿，血管纹理" + pick("模糊", "消失") + "，见散在糜烂";
            case 2 -> "见一" + size() + "环周溃疡型肿物，肠腔狭窄，内镜无法通过";
            case 3 -> "黏膜呈" + pick("豹纹样", "颗粒样") + "改变，色素沉着";
            case 4 -> "见" + pick("数个", "多个", "一个") + "憩室开口";
            case 5 -> "见纵行溃疡及铺路石样改变";
            default -> "见" + pick("一枚", "两枚", "多枚") + size() + "扁平隆起，NICE分型" + pick("1", "2") + "型";
        };
        return maybe(pick(LOWER_PROCEDURES) + "：", "进镜至" + pick("回肠末端", "回盲部") + "，", "")
                + site + finding + maybe("，" + pick(LOWER_THERAPY), "") + maybe("，诊断：" + pick(LOWER_DIAGNOSES), "");
    }

    private String lowerNormal() {
        return pick("所见回肠、结肠及直肠黏膜未见明显异常。", "结肠镜检查未见明显异常", "进镜至回肠末端约10cm，黏膜光滑",
                "全结肠黏膜光滑，血管纹理清晰，未见溃疡及新生物", "回盲瓣呈唇形，阑尾开口清晰，未见异常");
    }

    /** Lower GI findings that name neither 肠 nor 肛门: haemorrhoids, fistulae, the anal canal. */
    private String analOnly() {
        return pick("混合痔，", "内痔（Ⅲ度），", "外痔，", "肛瘘术后，", "肛周脓肿，", "肛裂，")
                + pick("予PPH术", "行切开引流", "予套扎治疗", "肛检未及肿物", "截石位3点见一外口", "便血2周");
    }

    private String lowerShort() {
        return pick("痔疮", "肠息肉", "直肠癌", "结肠癌", "肛瘘", "混合痔", "结肠炎", "肠梗阻", "便血", "肛裂", "克罗恩病");
    }

    // ---- class 0: neither (hepatobiliary, pancreatic, other organs, procedures without a site) -------------

    private String neither() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> hepatobiliary();
            case 3 -> pancreas();
            case 4 -> pick("气囊扩张术", "异物取出术", "内镜下止血治疗", "无痛内镜麻醉评估", "内镜检查前准备", "活检钳道冲洗",
                    "内镜下注射治疗", "支架置入术后复查", "球囊扩张术后", "内镜洗消记录：合格")
                    + maybe("，" + advice(), "，术程顺利", "，术后禁食" + (4 + random.nextInt(20)) + "小时", "");
            case 5 -> otherOrgan() + maybe("，" + advice(), "");
            case 6 -> "急性" + pick("胆源性", "重症", "高脂血症性") + "胰腺炎，予禁食、胃肠减压、抑酶补液治疗"
                    + maybe("，" + advice(), "，淀粉酶" + (300 + random.nextInt(2000)) + "U/L", "");
            case 7 -> random.nextBoolean()
                    ? pick("超声内镜：胰腺实质未见明显异常", "腹部CT未见明显异常", "肝胆胰脾超声未见明显异常",
                    "胆总管未见扩张，管腔内未见结石") + maybe("；" + hepatobiliary(), "")
                    : neitherShort() + maybe("，" + advice(), "");
            default -> report(this::hepatobiliary, new String[]{"肝", "胆囊", "胰腺", "胆总管"},
                    new String[]{"肝细胞癌", "胆囊腺癌", "慢性胆囊炎", "导管腺癌", "胆管细胞癌", "肝组织慢性炎"});
        };
    }

    private String hepatobiliary() {
        return switch (random.nextInt(6)) {
            case 0 -> "ERCP：" + pick("胆总管下段见", "胆总管内见", "肝总管见") + (1 + random.nextInt(4)) + "枚结石，最大约"
                    + size() + "，" + pick("行EST+取石", "经十二指肠乳头行EST，网篮取石顺利", "置入ENBD管引流", "行EPBD后取石");
            case 1 -> "ERCP+EST+ENBD，胆总管取石顺利";
            case 2 -> pick("胆囊结石伴慢性胆囊炎", "胆囊息肉样病变", "胆囊腺肌症") + "，" + pick("行LC", "行腹腔镜胆囊切除术",
                    "建议定期复查B超", "术中见胆囊壁增厚");
            case 3 -> "肝" + pick("右叶", "左叶", "S8段", "S6段") + "见一" + size() + "占位，" + pick("穿刺病理：肝细胞癌",
                    "增强扫描呈快进快出", "考虑血管瘤", "行TACE治疗");
            case 4 -> pick("肝门部胆管癌", "胆总管下段狭窄", "壶腹周围癌") + "，" + pick("置入金属支架", "置入塑料支架引流",
                    "行PTCD引流", "CA19-9升高");
            default -> pick("肝硬化失代偿期", "乙肝后肝硬化", "原发性胆汁性胆管炎", "自身免疫性肝炎") + "，" + pick(
                    "腹水（+）", "Child-Pugh B级", "ALT 86U/L", "拟行肝穿刺活检");
        };
    }

    private String pancreas() {
        return pick("胰腺占位，建议行超声内镜（EUS）检查", "胰头见一" + size() + "低回声占位，行EUS-FNA",
                "胰腺假性囊肿，行超声内镜引导下引流", "慢性胰腺炎伴胰管结石", "胰腺导管内乳头状黏液瘤（IPMN）",
                "胰体尾癌，CA19-9 " + (40 + random.nextInt(900)) + "U/ml");
    }

    private String otherOrgan() {
        return pick("支气管镜：右肺上叶开口见新生物，予活检", "喉镜：声带息肉", "膀胱镜：膀胱三角区见一乳头状肿物",
                "宫腔镜：子宫内膜息肉", "鼻咽镜：鼻咽部黏膜光滑", "甲状腺右叶结节，TI-RADS 4a类", "肺结节，建议随访",
                "乳腺纤维腺瘤", "腹股沟斜疝修补术后", "脾大，脾功能亢进");
    }

    private String neitherShort() {
        return pick("胆结石", "胆囊炎", "肝癌", "胰腺炎", "肝硬化", "脂肪肝", "胆管炎", "肝囊肿", "胰腺癌", "黄疸");
    }

    // ---- shared pieces ---------------------------------------------------------------------------------------

    /** A report naming both tracts, the finding in one (label follows the finding), shuffled in order. */
    private String bothTracts(String a, String b) {
        return random.nextBoolean() ? a + "；" + b : b + "；" + a;
    }

    private String upperNormalShort() {
        return pick("胃镜未见明显异常", "胃镜：慢性浅表性胃炎", "同日胃镜：食管、胃未见异常", "胃镜检查无殊");
    }

    private String lowerNormalShort() {
        return pick("肠镜未见明显异常", "同日结肠镜：未见异常", "肠镜检查无殊", "结肠镜：直肠黏膜光滑");
    }

    private String pathology(String[] sites, String[] results) {
        return pick("病理：", "活检病理：", "术后病理：", "") + "（" + pick(sites) + "）" + pick(results)
                + maybe("，切缘" + pick("阴性", "未见肿瘤累及"), "");
    }

    private String history() {
        return "患者" + pick("男", "女") + "，" + (18 + random.nextInt(70)) + "岁，主诉："
                + pick("反复上腹痛", "便血", "腹胀", "黑便", "吞咽困难", "腹泻", "体检发现异常", "乏力消瘦")
                + (1 + random.nextInt(11)) + pick("月余", "周", "天", "年") + "。";
    }

    private String advice() {
        return pick("建议复查", "建议" + (3 + random.nextInt(10)) + "个月后复查", "请结合病理", "随访", "建议MDT讨论",
                "“待病理回报”", "注意饮食");
    }

    private String size() {
        double a = 0.2 + random.nextInt(30) / 10.0;
        if (random.nextBoolean()) {
            return String.format(Locale.ROOT, "%.1fcm", a);
        }
        double b = 0.2 + random.nextInt(30) / 10.0;
        return String.format(Locale.ROOT, "%.1f%s%.1fcm", a, pick("×", "*", "x"), b);
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String maybe(String... options) {
        return pick(options);
    }

    /** Keeps texts within 200 characters, cutting at the last sentence end that fits. */
    private static String cap(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_CHARS) {
            return text;
        }
        String cut = text.substring(0, text.offsetByCodePoints(0, MAX_CHARS));
        int end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('；'));
        return end > 0 ? cut.substring(0, end + 1) : cut;
    }
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutLayersDialog</name>
    <message>
        <source>Learn tab</source>
        <translation>学习页</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Regularization</source>
        <translation>正则化</translation>
    </message>
    <message>
        <source>Reshape</source>
        <translation>变形</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>全连接</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>块</translation>
    </message>
    <message>
        <source>{name} is not set here: it is inferred from the layer&apos;s input.</source>
        <translation>{name} 不在这里设置：它由该层的输入推断得出。</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>default {value}</source>
        <translation>默认 {value}</translation>
    </message>
    <message>
        <source>{name} ({default}): {help}</source>
        <translation>{name}（{default}）：{help}</translation>
    </message>
    <message>
        <source>None: this layer has nothing to set.</source>
        <translation>无：这一层没有需要设置的参数。</translation>
    </message>
    <message>
        <source>About layers — CNN Workbench</source>
        <translation>关于层 — CNN Workbench</translation>
    </message>
    <message>
        <source>Search layers and help (Ctrl+F)</source>
        <translation>搜索层和帮助（Ctrl+F）</translation>
    </message>
    <message>
        <source>search help</source>
        <translation>搜索帮助</translation>
    </message>
    <message>
        <source>help topics</source>
        <translation>帮助主题</translation>
    </message>
    <message>
        <source>help text</source>
        <translation>帮助正文</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Nothing in the help mentions “{words}”.</source>
        <translation>帮助中没有任何地方提到“{words}”。</translation>
    </message>
</context>
<context>
    <name>AccuracyPlot</name>
    <message>
        <source>Running training accuracy and per-epoch training and validation accuracy, in percent</source>
        <translation>训练中的实时准确率，以及每轮的训练集与验证集准确率（百分比）</translation>
    </message>
    <message>
        <source>step (batches)</source>
        <translation>步数（批次）</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>train (running)</source>
        <translation>训练（实时）</translation>
    </message>
    <message>
        <source>train (epoch)</source>
        <translation>训练（每轮）</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
</context>
<context>
    <name>ActivationPlot</name>
    <message>
        <source>Activation functions and their derivatives, with a cursor</source>
        <translation>激活函数及其导数，带游标</translation>
    </message>
    <message>
        <source>activation function</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>x (the layer&apos;s input)</source>
        <translation>x（该层的输入）</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>cursor x</source>
        <translation>游标 x</translation>
    </message>
    <message>
        <source>Move the cursor (or move the mouse over the plot)</source>
        <translation>移动游标（或在图上移动鼠标）</translation>
    </message>
    <message>
        <source>f′(x) (autograd)</source>
        <translation>f′(x)（自动求导）</translation>
    </message>
    <message>
        <source>Function</source>
        <translation>函数</translation>
    </message>
    <message>
        <source>output range {range}</source>
        <translation>输出范围 {range}</translation>
    </message>
    <message>
        <source>Good:</source>
        <translation>优点：</translation>
    </message>
    <message>
        <source>Bad:</source>
        <translation>缺点：</translation>
    </message>
    <message>
        <source>Zero-centred?</source>
        <translation>以零为中心？</translation>
    </message>
</context>
<context>
    <name>BlockPanel</name>
    <message>
        <source>Skip path: known once the layers above and inside fit together</source>
        <translation>跳跃路径：待上方和块内的层形状匹配后可知</translation>
    </message>
    <message>
        <source>Skip path: the input itself, added unchanged (the layers keep its channels and size)</source>
        <translation>跳跃路径：输入本身，原样相加（块内各层保持其通道数和尺寸）</translation>
    </message>
    <message>
        <source>Skip path: projection {projection}</source>
        <translation>跳跃路径：投影 {projection}</translation>
    </message>
    <message>
        <source>, stride {rows}×{columns}</source>
        <translation>，步幅 {rows}×{columns}</translation>
    </message>
    <message>
        <source>1×1 Conv2d {source}→{target}{stride}{norm} ({params} parameters)</source>
        <translation>1×1 Conv2d {source}→{target}{stride}{norm}（{params} 个参数）</translation>
    </message>
    <message>
        <source>empty (passes the input through)</source>
        <translation>空（输入原样传出）</translation>
    </message>
    <message>
        <source>Branch {number}: {layers}</source>
        <translation>分支 {number}：{layers}</translation>
    </message>
    <message>
        <source>Branch {number}: {layers} → {shape}, 1 parameter</source>
        <translation>分支 {number}：{layers} → {shape}，1 个参数</translation>
    </message>
    <message>
        <source>Branch {number}: {layers} → {shape}, {params} parameters</source>
        <translation>分支 {number}：{layers} → {shape}，{params} 个参数</translation>
    </message>
    <message>
        <source>Projection</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>Add branch</source>
        <translation>添加分支</translation>
    </message>
    <message>
        <source>A new, empty branch at the end: it passes the block&apos;s input through</source>
        <translation>在末尾添加一个空分支：它把块的输入原样传出</translation>
    </message>
    <message>
        <source>Remove branch {number}</source>
        <translation>删除分支 {number}</translation>
    </message>
    <message>
        <source>Remove branch {number} and its layers</source>
        <translation>删除分支 {number} 及其中的层</translation>
    </message>
</context>
<context>
    <name>BuilderView</name>
    <message>
        <source>Layers — drag into the stack</source>
        <translation>层 — 拖入模型</translation>
    </message>
    <message>
        <source>Model (drop layers here or onto a block; Del, Ctrl+↑/↓, Ctrl+D)</source>
        <translation>模型（把层拖到这里或块上；Del、Ctrl+↑/↓、Ctrl+D）</translation>
    </message>
    <message>
        <source>Cannot do that: {reason}</source>
        <translation>无法执行：{reason}</translation>
    </message>
    <message>
        <source>in {where} › branch {branch}</source>
        <translation>位于 {where} › 分支 {branch}</translation>
    </message>
    <message>
        <source>in {where}</source>
        <translation>位于 {where}</translation>
    </message>
</context>
<context>
    <name>CalibrationTab</name>
    <message>
        <source>Temperature scaling divides the logits by one number T fitted on the validation split: every prediction stays the same, only the probabilities are rescaled (Save and export keep T).</source>
        <translation>温度缩放把 logits 除以在验证集上拟合出的一个数 T：每个预测都不变，只是概率被重新缩放（保存和导出时会保留 T）。</translation>
    </message>
    <message>
        <source>Calibrate (temperature scaling)</source>
        <translation>校准（温度缩放）</translation>
    </message>
    <message>
        <source>Fit one temperature T on the validation split so that the model&apos;s confidence matches its accuracy; the probabilities everywhere become softmax(logits / T), the logits and the predictions stay</source>
        <translation>在验证集上拟合一个温度 T，使模型的置信度与准确率相符；各处的概率都变为 softmax(logits / T)，logits 和预测结果不变</translation>
    </message>
</context>
<context>
    <name>ClassMetricsTable</name>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1 分数</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Prec.</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Rec.</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>N</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>The true class (click a row to outline it in the confusion matrix)</source>
        <translation>真实类别（点击一行，在混淆矩阵中框出它）</translation>
    </message>
    <message>
        <source>Of the images predicted as this class, the share that really are it (its column of the matrix)</source>
        <translation>被预测为该类别的图像中，确实属于该类别的比例（矩阵中它的那一列）</translation>
    </message>
    <message>
        <source>Of the images of this class, the share predicted as it (its row of the matrix)</source>
        <translation>该类别的图像中，被预测为该类别的比例（矩阵中它的那一行）</translation>
    </message>
    <message>
        <source>The harmonic mean of precision and recall: low when either is low</source>
        <translation>精确率与召回率的调和平均：任一项低，它就低</translation>
    </message>
    <message>
        <source>How many validation images are of this class</source>
        <translation>验证集中属于该类别的图像数</translation>
    </message>
    <message>
        <source>Per-class figures — no epoch yet</source>
        <translation>各类别指标 — 尚无轮次</translation>
    </message>
    <message>
        <source>Precision, recall and F1 of each class appear after the first epoch, or when a trained model is opened</source>
        <translation>每个类别的精确率、召回率和 F1 分数会在第一轮结束后或打开已训练的模型时显示</translation>
    </message>
    <message>
        <source>Macro avg</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <source>Macro average: the mean over the classes, each counting once</source>
        <translation>宏平均：各类别的平均值，每个类别权重相同</translation>
    </message>
    <message>
        <source>Weighted avg</source>
        <translation>加权平均</translation>
    </message>
    <message>
        <source>Weighted average: the mean over the classes, each weighted by its support</source>
        <translation>加权平均：各类别的平均值，按样本数加权</translation>
    </message>
    <message>
        <source>Precision, recall, F1 and support of each class of the validation split</source>
        <translation>验证集中每个类别的精确率、召回率、F1 分数和样本数</translation>
    </message>
    <message>
        <source>Per-class figures</source>
        <translation>各类别指标</translation>
    </message>
    <message>
        <source>Precision, recall and F1 of each class</source>
        <translation>每个类别的精确率、召回率和 F1 分数</translation>
    </message>
    <message>
        <source>Macro and weighted averages</source>
        <translation>宏平均与加权平均</translation>
    </message>
    <message>
        <source>&lt;b&gt;Per class&lt;/b&gt; · epoch {epoch} · {count} validation images</source>
        <translation>&lt;b&gt;各类别&lt;/b&gt; · 第 {epoch} 轮 · {count} 张验证图像</translation>
    </message>
    <message>
        <source>{name}: no validation image of this class</source>
        <translation>{name}：验证集中没有该类别的图像</translation>
    </message>
    <message>
        <source>{name}: {recall}% of its images found (recall), {precision}% of those predicted as it right (precision)</source>
        <translation>{name}：该类别图像中 {recall}% 被找出（召回率），预测为它的图像中 {precision}% 正确（精确率）</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>Confusion matrix — no epoch yet</source>
        <translation>混淆矩阵 — 尚无轮次</translation>
    </message>
    <message>
        <source>Confusion matrix of the validation split: true class by predicted class</source>
        <translation>验证集的混淆矩阵：行为真实类别，列为预测类别</translation>
    </message>
    <message>
        <source>Row-normalised</source>
        <translation>按行归一化</translation>
    </message>
    <message>
        <source>Colour by the fraction of each true class (row) instead of raw counts</source>
        <translation>按每个真实类别（行）的比例着色，而不是按原始计数</translation>
    </message>
    <message>
        <source>The confusion matrix of the validation images appears after the first epoch</source>
        <translation>验证图像的混淆矩阵会在第一轮结束后显示</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>fraction of row</source>
        <translation>占该行比例</translation>
    </message>
    <message>
        <source>count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>&lt;b&gt;Epoch {epoch}&lt;/b&gt; · accuracy {accuracy}% ({right}/{total})</source>
        <translation>&lt;b&gt;第 {epoch} 轮&lt;/b&gt; · 准确率 {accuracy}%（{right}/{total}）</translation>
    </message>
    <message>
        <source>true &lt;b&gt;{true}&lt;/b&gt; → predicted &lt;b&gt;{predicted}&lt;/b&gt;: {count} ({share}% of true {true})&lt;br&gt;Click to see these images</source>
        <translation>真实 &lt;b&gt;{true}&lt;/b&gt; → 预测 &lt;b&gt;{predicted}&lt;/b&gt;：{count}（占真实 {true} 的 {share}%）&lt;br&gt;点击查看这些图像</translation>
    </message>
    <message>
        <source>true &lt;b&gt;{true}&lt;/b&gt; → predicted &lt;b&gt;{predicted}&lt;/b&gt;: {count}&lt;br&gt;Click to see these images</source>
        <translation>真实 &lt;b&gt;{true}&lt;/b&gt; → 预测 &lt;b&gt;{predicted}&lt;/b&gt;：{count}&lt;br&gt;点击查看这些图像</translation>
    </message>
</context>
<context>
    <name>ConvExplorer</name>
    <message>
        <source>The kernel&apos;s numbers: a classic hand-made filter, or one of your model&apos;s first-layer filters</source>
        <translation>卷积核的数值：经典的手工滤波器，或你的模型第一层的某个卷积核</translation>
    </message>
    <message>
        <source>The input&apos;s numbers: a small example, or the Train tab&apos;s probe image as the model reads it</source>
        <translation>输入的数值：一个小示例，或训练标签页的探针图像（按模型读取的方式）</translation>
    </message>
    <message>
        <source>Convolution explorer</source>
        <translation>卷积演示</translation>
    </message>
    <message>
        <source>Convolution worked out on a small input, window by window</source>
        <translation>在一个小输入上逐个窗口地演算卷积</translation>
    </message>
    <message>
        <source>In the window</source>
        <translation>窗口内</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>输入尺寸</translation>
    </message>
    <message>
        <source>Height and width of the input</source>
        <translation>输入的高和宽</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>通道数</translation>
    </message>
    <message>
        <source>Input channels; the kernel has one slice per channel</source>
        <translation>输入通道数；卷积核每个通道有一层切片</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>filter</source>
        <translation>卷积核</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>卷积核序号</translation>
    </message>
    <message>
        <source>Which of the layer&apos;s filters (its output channels) to use</source>
        <translation>使用该层的哪个卷积核（即哪个输出通道）</translation>
    </message>
    <message>
        <source>What the border contains: 0, a mirror, the edge, a wrap</source>
        <translation>边界填什么：0、镜像、边缘值或环绕</translation>
    </message>
    <message>
        <source>New random numbers</source>
        <translation>换一组随机数</translation>
    </message>
    <message>
        <source>{name} (height × width), as in nn.Conv2d</source>
        <translation>{name}（高 × 宽），与 nn.Conv2d 相同</translation>
    </message>
    <message>
        <source> of {count}</source>
        <translation> / {count}</translation>
    </message>
    <message>
        <source>{choice}: {reason} Back to {instead}.</source>
        <translation>{choice}：{reason}已改回{instead}。</translation>
    </message>
    <message>
        <source>padding=&apos;same&apos; adds one more row/column at the bottom/right; shown symmetric here</source>
        <translation>padding=&apos;same&apos; 会在底部/右侧多填充一行/一列；这里按对称显示</translation>
    </message>
    <message>
        <source>Output {rows}×{cols}</source>
        <translation>输出 {rows}×{cols}</translation>
    </message>
    <message>
        <source>Output {rows}×{cols}: feature map {number}</source>
        <translation>输出 {rows}×{cols}：特征图 {number}</translation>
    </message>
    <message>
        <source>Output: none</source>
        <translation>输出：无</translation>
    </message>
    <message>
        <source>Filter {number}</source>
        <translation>卷积核 {number}</translation>
    </message>
    <message>
        <source>Probe {height}×{width}</source>
        <translation>探针 {height}×{width}</translation>
    </message>
    <message>
        <source>{grid} (padded)</source>
        <translation>{grid}（已填充）</translation>
    </message>
    <message>
        <source>{grid}, channel {number}</source>
        <translation>{grid}，通道 {number}</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <source>layer {number} {type}</source>
        <translation>第 {number} 层 {type}</translation>
    </message>
    <message>
        <source>{outer} › {inner}</source>
        <translation>{outer} › {inner}</translation>
    </message>
    <message>
        <source>{outer} › branch {branch} › {inner}</source>
        <translation>{outer} › 分支 {branch} › {inner}</translation>
    </message>
    <message>
        <source>{outer} › projection {type}</source>
        <translation>{outer} › 投影 {type}</translation>
    </message>
    <message>
        <source>{where}: {cause}; {fix}</source>
        <translation>{where}：{cause}；{fix}</translation>
    </message>
    <message>
        <source>{layer} needs an image input (channels×height×width) but gets {shape}</source>
        <translation>{layer} 需要图像输入（通道×高×宽），但得到的是 {shape}</translation>
    </message>
    <message>
        <source>move it before Flatten, or use a layer meant for flat vectors</source>
        <translation>把它移到 Flatten 之前，或改用处理一维向量的层</translation>
    </message>
    <message>
        <source>groups={groups} does not divide the {count} input channels</source>
        <translation>groups={groups} 不能整除 {count} 个输入通道</translation>
    </message>
    <message>
        <source>groups={groups} does not divide the {count} out_channels</source>
        <translation>groups={groups} 不能整除 {count} 个输出通道 out_channels</translation>
    </message>
    <message>
        <source>choose groups that divides both {channels} and {out_channels}</source>
        <translation>请选择能同时整除 {channels} 和 {out_channels} 的 groups</translation>
    </message>
    <message>
        <source>padding=&apos;same&apos; only works with stride 1</source>
        <translation>padding=&apos;same&apos; 只能在步幅 stride 为 1 时使用</translation>
    </message>
    <message>
        <source>set stride to 1 or give padding as a number</source>
        <translation>把 stride 设为 1，或把 padding 设为一个数</translation>
    </message>
    <message>
        <source>kernel {kernel} (spanning {span} with dilation) does not fit the {height}×{width} input with padding {padding}</source>
        <translation>卷积核 {kernel}（含膨胀后跨 {span}）放不进 {height}×{width} 的输入（填充 {padding}）</translation>
    </message>
    <message>
        <source>reduce kernel_size or dilation, add padding, or remove a pooling layer before it</source>
        <translation>减小 kernel_size 或 dilation、增加填充，或去掉它之前的一个池化层</translation>
    </message>
    <message>
        <source>padding_mode=&apos;reflect&apos; needs padding smaller than the input ({padding} ≥ {size})</source>
        <translation>padding_mode=&apos;reflect&apos; 要求填充小于输入尺寸（{padding} ≥ {size}）</translation>
    </message>
    <message>
        <source>reduce padding or use padding_mode &apos;zeros&apos; or &apos;replicate&apos;</source>
        <translation>减小填充，或使用 padding_mode &apos;zeros&apos; 或 &apos;replicate&apos;</translation>
    </message>
    <message>
        <source>padding_mode=&apos;circular&apos; cannot wrap {padding} pixels around an input of {size}</source>
        <translation>padding_mode=&apos;circular&apos; 无法在尺寸为 {size} 的输入周围循环填充 {padding} 个像素</translation>
    </message>
    <message>
        <source>reduce padding or use padding_mode &apos;zeros&apos;</source>
        <translation>减小填充，或使用 padding_mode &apos;zeros&apos;</translation>
    </message>
    <message>
        <source>padding {padding} is more than half the kernel {kernel}</source>
        <translation>填充 {padding} 超过了池化窗口 {kernel} 的一半</translation>
    </message>
    <message>
        <source>use padding of at most {most}</source>
        <translation>填充最多为 {most}</translation>
    </message>
    <message>
        <source>kernel {kernel} does not fit the {height}×{width} input</source>
        <translation>窗口 {kernel} 放不进 {height}×{width} 的输入</translation>
    </message>
    <message>
        <source>remove it, reduce kernel_size, or reduce pooling earlier</source>
        <translation>删除它、减小 kernel_size，或减少前面的池化</translation>
    </message>
    <message>
        <source>BatchNorm1d needs a flat vector (or channels×length) but gets {shape}</source>
        <translation>BatchNorm1d 需要一维向量（或 通道×长度），但得到的是 {shape}</translation>
    </message>
    <message>
        <source>use BatchNorm2d for images, or put Flatten before it</source>
        <translation>图像请用 BatchNorm2d，或在它之前放一个 Flatten</translation>
    </message>
    <message>
        <source>{name}={dim} is outside the {ndim} dimensions of the batched input</source>
        <translation>{name}={dim} 超出了带批次维的输入的 {ndim} 个维度</translation>
    </message>
    <message>
        <source>use a value from {low} to {high}</source>
        <translation>请使用 {low} 到 {high} 之间的值</translation>
    </message>
    <message>
        <source>{name}={dim} is the batch dimension</source>
        <translation>{name}={dim} 是批次维</translation>
    </message>
    <message>
        <source>use 1 or -1 (the feature/class dimension)</source>
        <translation>请使用 1 或 -1（特征/类别维）</translation>
    </message>
    <message>
        <source>start_dim comes after end_dim</source>
        <translation>start_dim 在 end_dim 之后</translation>
    </message>
    <message>
        <source>use start_dim ≤ end_dim (the defaults are 1 and -1)</source>
        <translation>请使 start_dim ≤ end_dim（默认值为 1 和 -1）</translation>
    </message>
    <message>
        <source>Linear needs a flat vector but gets {shape}</source>
        <translation>全连接层 Linear 需要一维向量，但得到的是 {shape}</translation>
    </message>
    <message>
        <source>add a Flatten layer before it</source>
        <translation>在它之前加一个 Flatten 层</translation>
    </message>
    <message>
        <source>check its parameters</source>
        <translation>请检查它的参数</translation>
    </message>
    <message>
        <source>output is always {size}, whatever the {input} input</source>
        <translation>无论输入是 {input}，输出总是 {size}</translation>
    </message>
    <message>
        <source>it would take {size} of layer outputs</source>
        <translation>各层输出将占用 {size}</translation>
    </message>
    <message>
        <source>the block is empty</source>
        <translation>这个块是空的</translation>
    </message>
    <message>
        <source>the block has no layers</source>
        <translation>这个块里没有层</translation>
    </message>
    <message>
        <source>drag layers into it, or delete the block</source>
        <translation>把层拖进块里，或删除这个块</translation>
    </message>
    <message>
        <source>its layers make {made} from {shape}, but the 1×1 projection that reshapes the input for the sum (stride {stride}, their strides multiplied) makes {projected}</source>
        <translation>块内各层把 {shape} 变成 {made}，但为相加而变换输入的 1×1 投影（步幅 {stride}，即各层步幅之积）得到的是 {projected}</translation>
    </message>
    <message>
        <source>pad the block&apos;s convolutions to keep the size (padding=(kernel_size−1)/2) and shrink only by strides</source>
        <translation>给块内的卷积加填充以保持尺寸（padding=(kernel_size−1)/2），只用步幅缩小尺寸</translation>
    </message>
    <message>
        <source>its layers make {made} from {shape}, and an image and a vector cannot be added</source>
        <translation>块内各层把 {shape} 变成 {made}，而图像和向量不能相加</translation>
    </message>
    <message>
        <source>move Flatten and the layers after it out of the block</source>
        <translation>把 Flatten 及其后的层移出这个块</translation>
    </message>
    <message>
        <source>its layers make {made} features from {shape}; a sum of vectors needs the same count</source>
        <translation>块内各层把 {shape} 变成 {made} 个特征；向量相加要求长度相同</translation>
    </message>
    <message>
        <source>make the block&apos;s last Linear give {shape} features, or move it out of the block</source>
        <translation>让块内最后一个 Linear 输出 {shape} 个特征，或把它移出这个块</translation>
    </message>
    <message>
        <source>branch {number} makes {made} but branch 1 makes {first}; branches are joined on the channel axis, so all must give images or all vectors</source>
        <translation>分支 {number} 输出 {made}，而分支 1 输出 {first}；各分支沿通道维拼接，所以要么都输出图像，要么都输出向量</translation>
    </message>
    <message>
        <source>end every branch with the same kind of layer (no Flatten in one branch only)</source>
        <translation>让每个分支以同类的层结尾（不要只在一个分支里放 Flatten）</translation>
    </message>
    <message>
        <source>branch {number} makes {made} but branch 1 makes {first}; branches are joined on the channel axis, so every branch must keep the same height and width</source>
        <translation>分支 {number} 输出 {made}，而分支 1 输出 {first}；各分支沿通道维拼接，所以每个分支的高和宽必须相同</translation>
    </message>
    <message>
        <source>make branch 1 keep {size} as well</source>
        <translation>让分支 1 也保持 {size}</translation>
    </message>
    <message>
        <source>this layer changes {before} to {after}: give it padding=(kernel_size−1)/2 and stride 1 (or shrink every branch alike)</source>
        <translation>这一层把 {before} 变成了 {after}：给它设 padding=(kernel_size−1)/2 和 stride 1（或让每个分支同样缩小）</translation>
    </message>
    <message>
        <source>blocks nest at most {most} deep; this would make {depth}</source>
        <translation>块最多嵌套 {most} 层；这样会变成 {depth} 层</translation>
    </message>
    <message>
        <source>a block cannot be moved into itself</source>
        <translation>块不能移到它自己里面</translation>
    </message>
    <message>
        <source>a Concat block has at most {most} branches</source>
        <translation>拼接块最多有 {most} 个分支</translation>
    </message>
    <message>
        <source>only a branch of a Concat block with two or more branches can be removed</source>
        <translation>只有在拼接块有两个或更多分支时，才能删除其中一个分支</translation>
    </message>
    <message>
        <source>{percent}% dead units</source>
        <translation>{percent}% 单元死亡</translation>
    </message>
    <message>
        <source>{percent}% saturated</source>
        <translation>{percent}% 饱和</translation>
    </message>
    <message>
        <source>vanishing gradient (norm {norm})</source>
        <translation>梯度消失（范数 {norm}）</translation>
    </message>
    <message>
        <source>exploding gradient (norm {norm})</source>
        <translation>梯度爆炸（范数 {norm}）</translation>
    </message>
    <message>
        <source>barely learning (update ratio {ratio})</source>
        <translation>几乎没有学习（更新比 {ratio}）</translation>
    </message>
    <message>
        <source>thrashing (update ratio {ratio})</source>
        <translation>剧烈震荡（更新比 {ratio}）</translation>
    </message>
    <message>
        <source>not a picture file ({suffixes})</source>
        <translation>不是图片文件（{suffixes}）</translation>
    </message>
    <message>
        <source>not a regular file (a FIFO, socket or device)</source>
        <translation>不是普通文件（FIFO、套接字或设备）</translation>
    </message>
    <message>
        <source>a link to a folder (links to folders are not followed)</source>
        <translation>指向文件夹的链接（不跟随文件夹链接）</translation>
    </message>
    <message>
        <source>a folder</source>
        <translation>是一个文件夹</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>不是普通文件</translation>
    </message>
    <message>
        <source>an empty file</source>
        <translation>空文件</translation>
    </message>
    <message>
        <source>more than the {limit}-megapixel limit (not decoded)</source>
        <translation>超过 {limit} 百万像素的上限（未解码）</translation>
    </message>
    <message>
        <source>too large to decode in the memory there is</source>
        <translation>太大，现有内存无法解码</translation>
    </message>
    <message>
        <source>cannot decode it ({reason})</source>
        <translation>无法解码（{reason}）</translation>
    </message>
    <message>
        <source>not a PNG, JPEG or BMP picture</source>
        <translation>不是 PNG、JPEG 或 BMP 图片</translation>
    </message>
    <message>
        <source>no pixels ({width}×{height})</source>
        <translation>没有像素（{width}×{height}）</translation>
    </message>
    <message>
        <source>{width}×{height} pixels, more than the {limit}-megapixel limit (not decoded)</source>
        <translation>{width}×{height} 像素，超过 {limit} 百万像素的上限（未解码）</translation>
    </message>
    <message>
        <source>{path} is a folder; give a model spec JSON file</source>
        <translation>{path} 是一个文件夹；请给出一个模型定义 JSON 文件</translation>
    </message>
    <message>
        <source>{path} is not a regular file; give a model spec JSON file</source>
        <translation>{path} 不是普通文件；请给出一个模型定义 JSON 文件</translation>
    </message>
    <message>
        <source>{path} is larger than 16 MB; a model spec is a small JSON file</source>
        <translation>{path} 大于 16 MB；模型定义应是一个小的 JSON 文件</translation>
    </message>
    <message>
        <source>cannot read {path}: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <source>{path} is not a text file; a model spec is JSON</source>
        <translation>{path} 不是文本文件；模型定义是 JSON 文本</translation>
    </message>
    <message>
        <source>cannot read {path}: a file name cannot hold a NUL character</source>
        <translation>无法读取 {path}：文件名中不能含有 NUL 字符</translation>
    </message>
    <message>
        <source>the model&apos;s input is {model} but {dataset} images are {data}; set the model input to {data}</source>
        <translation>模型的输入是 {model}，但 {dataset} 的图像是 {data}；请把模型输入设为 {data}</translation>
    </message>
    <message>
        <source>the model cannot be built: {error}</source>
        <translation>无法构建模型：{error}</translation>
    </message>
    <message>
        <source>a batch of {batch} would take about {gib} GiB of layer outputs to train; lower the batch size to {fits} or less</source>
        <translation>训练一个大小为 {batch} 的批次，各层输出约需 {gib} GiB；请把批大小降到 {fits} 或更小</translation>
    </message>
    <message>
        <source>the model ends with {outputs} outputs but {dataset} has {classes} classes; make the last Linear layer&apos;s out_features {classes}</source>
        <translation>模型最后输出 {outputs} 个值，但 {dataset} 有 {classes} 个类别；请把最后一个 Linear 层的 out_features 设为 {classes}</translation>
    </message>
    <message>
        <source>the training split is empty; choose a dataset with training images</source>
        <translation>训练集是空的；请选择带训练图像的数据集</translation>
    </message>
    <message>
        <source>the loss became NaN or infinite at epoch {epoch}, step {step}: training diverged. The model keeps its last good weights; lower the learning rate (now {lr}) and train again</source>
        <translation>在第 {epoch} 轮第 {step} 步，损失变成了 NaN 或无穷大：训练发散了。模型保留最后一组正常的权重；请降低学习率（当前为 {lr}）后重新训练</translation>
    </message>
    <message>
        <source>the GPU ran out of memory at batch size {batch}; lower the batch size (e.g. {half}) and train again. The model keeps its weights</source>
        <translation>批大小为 {batch} 时 GPU 显存不足；请降低批大小（例如 {half}）后重新训练。模型保留其权重</translation>
    </message>
    <message>
        <source>training stopped by an unexpected error: {error}</source>
        <translation>训练因意外错误而停止：{error}</translation>
    </message>
    <message>
        <source>{name}: {problem}</source>
        <translation>{name}：{problem}</translation>
    </message>
    <message>
        <source>cannot open the file ({reason}); check the path and your permissions</source>
        <translation>无法打开文件（{reason}）；请检查路径和访问权限</translation>
    </message>
    <message>
        <source>there is not enough memory to load this file</source>
        <translation>内存不足，无法载入此文件</translation>
    </message>
    <message>
        <source>cannot open the file (it is a folder, a pipe or a device, not a file); choose a file</source>
        <translation>无法打开（这是文件夹、管道或设备，不是文件）；请选择一个文件</translation>
    </message>
    <message>
        <source>the file&apos;s contents are nested too deeply; it was not saved by CNN Workbench</source>
        <translation>文件内容嵌套过深；它不是由 CNN Workbench 保存的</translation>
    </message>
    <message>
        <source>the file is damaged or incomplete ({detail}); save or copy it again</source>
        <translation>文件已损坏或不完整（{detail}）；请重新保存或复制</translation>
    </message>
    <message>
        <source>this is a Python pickle (e.g. from torch.save); CNN Workbench never opens pickles because loading one can run any code; save the model from CNN Workbench instead</source>
        <translation>这是一个 Python pickle 文件（例如来自 torch.save）；CNN Workbench 从不打开 pickle，因为载入它可能运行任意代码；请改用 CNN Workbench 保存模型</translation>
    </message>
    <message>
        <source>this is a JSON text file, not a saved model; if it is a model spec, open it as a spec</source>
        <translation>这是 JSON 文本文件，不是保存的模型；如果它是模型定义，请作为模型定义打开</translation>
    </message>
    <message>
        <source>the file is empty; it was not saved completely, so save or copy it again</source>
        <translation>文件是空的；它没有完整保存，请重新保存或复制</translation>
    </message>
    <message>
        <source>this is not a CNN Workbench file (it is not a zip archive)</source>
        <translation>这不是 CNN Workbench 文件（不是 zip 压缩包）</translation>
    </message>
    <message>
        <source>the file holds no model spec; it is damaged</source>
        <translation>文件中没有模型定义；文件已损坏</translation>
    </message>
    <message>
        <source>the model spec inside is invalid: {error}</source>
        <translation>文件中的模型定义无效：{error}</translation>
    </message>
    <message>
        <source>cannot save: {error}</source>
        <translation>无法保存：{error}</translation>
    </message>
    <message>
        <source>from {low} to {high}</source>
        <translation>{low} 到 {high}</translation>
    </message>
    <message>
        <source>at least {low}</source>
        <translation>至少 {low}</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>{choices} 之一</translation>
    </message>
    <message>
        <source>any number</source>
        <translation>任意数</translation>
    </message>
    <message>
        <source>{name} must not be null</source>
        <translation>{name} 不能为空（null）</translation>
    </message>
    <message>
        <source>{name}={value} is out of range; use a value {range}</source>
        <translation>{name}={value} 超出范围；请使用 {range} 的值</translation>
    </message>
    <message>
        <source>{name} must be an integer, not {type} ({value})</source>
        <translation>{name} 必须是整数，而不是{type}（{value}）</translation>
    </message>
    <message>
        <source>{name} must be a number, not {type} ({value})</source>
        <translation>{name} 必须是数字，而不是{type}（{value}）</translation>
    </message>
    <message>
        <source>{name} must be a finite number, not {value}</source>
        <translation>{name} 必须是有限的数，而不是 {value}</translation>
    </message>
    <message>
        <source>{name} must be true or false, not {value}</source>
        <translation>{name} 必须是 true 或 false，而不是 {value}</translation>
    </message>
    <message>
        <source>{name}={value} is not allowed; use {range}</source>
        <translation>{name}={value} 不被允许；请使用 {range}</translation>
    </message>
    <message>
        <source>{name} must be one integer or a pair [height, width], not {count} values</source>
        <translation>{name} 必须是一个整数或一对 [高, 宽]，而不是 {count} 个值</translation>
    </message>
    <message>
        <source>{name} must be an integer or a pair [height, width], not {type} ({value})</source>
        <translation>{name} 必须是整数或一对 [高, 宽]，而不是{type}（{value}）</translation>
    </message>
    <message>
        <source>{name}={value} is not allowed; use an integer, a pair, or one of {choices}</source>
        <translation>不允许 {name}={value}；请使用整数、一对整数，或 {choices} 之一</translation>
    </message>
    <message>
        <source>true/false</source>
        <translation>真/假值</translation>
    </message>
    <message>
        <source>an integer</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>{name}: a domain is one of {forms}, not {value}</source>
        <translation>{name}：取值范围应是 {forms} 之一，而不是 {value}</translation>
    </message>
    <message>
        <source>{name} takes {kind} values; vary it with {form}</source>
        <translation>{name} 的值是 {kind} 类型；请用 {form} 来变化它</translation>
    </message>
    <message>
        <source>{name} is a whole number; vary it with {form} or a choice</source>
        <translation>{name} 是整数；请用 {form} 或一组取值来变化它</translation>
    </message>
    <message>
        <source>{name} = {value} cannot be used: {reason}</source>
        <translation>{name} = {value} 不可用：{reason}</translation>
    </message>
    <message>
        <source>{name}: a choice is a non-empty list of values, not {value}</source>
        <translation>{name}：一组取值必须是非空列表，而不是 {value}</translation>
    </message>
    <message>
        <source>{name}: {count} choices; give at most {most}, or a range</source>
        <translation>{name}：有 {count} 个取值；最多给 {most} 个，或改用范围</translation>
    </message>
    <message>
        <source>{name}: the choice {value} is not a number, text or true/false; vary each number on its own</source>
        <translation>{name}：取值 {value} 不是数字、文本或 true/false；请分别变化每个数</translation>
    </message>
    <message>
        <source>{name}: the choices repeat a value; give each value once</source>
        <translation>{name}：取值有重复；每个值只给一次</translation>
    </message>
    <message>
        <source>{name}: a {kind} range is [low, high], two finite numbers, not {value}</source>
        <translation>{name}：{kind} 范围是 [下限, 上限]，两个有限的数，而不是 {value}</translation>
    </message>
    <message>
        <source>{name}: an int range has whole-number ends, not {value}</source>
        <translation>{name}：int 范围的两端必须是整数，而不是 {value}</translation>
    </message>
    <message>
        <source>{name}: the range [{low}, {high}] is empty or inverted; give low &lt; high</source>
        <translation>{name}：范围 [{low}, {high}] 为空或上下颠倒；请让下限小于上限</translation>
    </message>
    <message>
        <source>{name}: a log range starts above 0, not at {low}; use uniform, or a positive low end</source>
        <translation>{name}：对数范围的下限必须大于 0，而不是 {low}；请改用均匀分布，或给一个正的下限</translation>
    </message>
    <message>
        <source>its epoch done</source>
        <translation>唯一的一轮已完成</translation>
    </message>
    <message>
        <source>all {count} epochs done</source>
        <translation>全部 {count} 轮已完成</translation>
    </message>
    <message>
        <source>reached the target validation accuracy {target}% ({accuracy}%) in epoch {epoch} at step {step}</source>
        <translation>在第 {epoch} 轮第 {step} 步达到目标验证准确率 {target}%（{accuracy}%）</translation>
    </message>
    <message>
        <source>used the time budget of {seconds} s by the end of epoch {epoch}</source>
        <translation>到第 {epoch} 轮结束时用完了 {seconds} 秒的时间预算</translation>
    </message>
    <message>
        <source>used the time budget of {seconds} s in epoch {epoch} at step {step}</source>
        <translation>在第 {epoch} 轮第 {step} 步用完了 {seconds} 秒的时间预算</translation>
    </message>
    <message>
        <source>validation accuracy did not improve for 1 epoch (best {best}% in epoch {epoch}): stopped early</source>
        <translation>验证准确率 1 轮没有提高（最好为第 {epoch} 轮的 {best}%）：提前停止</translation>
    </message>
    <message>
        <source>validation accuracy did not improve for {count} epochs (best {best}% in epoch {epoch}): stopped early</source>
        <translation>验证准确率连续 {count} 轮没有提高（最好为第 {epoch} 轮的 {best}%）：提前停止</translation>
    </message>
    <message>
        <source>pruned at validation check {check} (epoch {epoch}, step {step}): {accuracy}% is behind the other trials at that point</source>
        <translation>在第 {check} 次验证时被剪枝（第 {epoch} 轮，第 {step} 步）：{accuracy}% 落后于其他试验在同一时刻的成绩</translation>
    </message>
    <message>
        <source>stopped at step {step}</source>
        <translation>在第 {step} 步停止</translation>
    </message>
    <message>
        <source>the training process ended without saying why</source>
        <translation>训练进程结束了，但没有说明原因</translation>
    </message>
    <message>
        <source>its process ({pid}) was killed or crashed before the run ended</source>
        <translation>运行结束前，其进程（{pid}）被终止或崩溃</translation>
    </message>
    <message>
        <source>TensorBoard export needs the tensorboard package: {command}</source>
        <translation>导出到 TensorBoard 需要 TensorBoard 包：{command}</translation>
    </message>
    <message>
        <source>untrained</source>
        <translation>未训练</translation>
    </message>
    <message>
        <source>opened from a file</source>
        <translation>从文件打开</translation>
    </message>
    <message>
        <source>training now, step {step}</source>
        <translation>正在训练，第 {step} 步</translation>
    </message>
    <message>
        <source>trained here, {count} epoch(s)</source>
        <translation>在此训练，{count} 轮</translation>
    </message>
    <message>
        <source>taught on your digits</source>
        <translation>用你的数字教过</translation>
    </message>
    <message>
        <source>{cause}: {fix}.</source>
        <translation>{cause}：{fix}。</translation>
    </message>
    <message>
        <source>Average pooling has no dilation: set dilation to 1.</source>
        <translation>平均池化没有 dilation：请把 dilation 设为 1。</translation>
    </message>
    <message>
        <source>No model yet: build one on the Build tab or open a trained model (File ▸ Open)</source>
        <translation>还没有模型：请在构建标签页搭建一个，或打开已训练的模型（文件 ▸ 打开）</translation>
    </message>
    <message>
        <source>The model has no Conv2d layer: add one on the Build tab to see its filters here</source>
        <translation>模型中没有卷积层 Conv2d：在构建标签页添加一个，即可在此查看它的卷积核</translation>
    </message>
    <message>
        <source>This layer&apos;s padding=&apos;same&apos; pads one more row or column at the bottom or right than at the top or left, which the explorer cannot show: use an odd kernel_size to see its filters</source>
        <translation>该层的 padding=&apos;same&apos; 在底部或右侧比顶部或左侧多填充一行或一列，此演示无法显示：请使用奇数的 kernel_size 来查看它的卷积核</translation>
    </message>
    <message>
        <source>The layers before {where} cannot read this image ({error})</source>
        <translation>{where} 之前的层无法读取这张图像（{error}）</translation>
    </message>
    <message>
        <source>The image reaches {where} with {got} channel(s), but it reads {count}: load the dataset the model was made for on the Train tab</source>
        <translation>图像到达{where}时有 {got} 个通道，但它读取 {count} 个：请在“训练”页加载这个模型所用的数据集</translation>
    </message>
    <message>
        <source>The layers before {where} make no image of it: load the dataset the model was made for on the Train tab</source>
        <translation>{where}之前的层没有把它变成图像：请在“训练”页加载这个模型所用的数据集</translation>
    </message>
</context>
<context>
    <name>DataBox</name>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Samples, one per class</source>
        <translation>样本（每个类别一张）</translation>
    </message>
    <message>
        <source>Sample images</source>
        <translation>样本图像</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>DatasetSelector</name>
    <message>
        <source>MNIST — handwritten digits</source>
        <translation>MNIST — 手写数字</translation>
    </message>
    <message>
        <source>Fashion-MNIST — clothing</source>
        <translation>Fashion-MNIST — 服饰</translation>
    </message>
    <message>
        <source>KMNIST — Japanese characters</source>
        <translation>KMNIST — 日文字符</translation>
    </message>
    <message>
        <source>CIFAR-10 — colour photos</source>
        <translation>CIFAR-10 — 彩色照片</translation>
    </message>
    <message>
        <source>Digits — built in, works offline</source>
        <translation>数字 — 内置，可离线使用</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>图像文件夹…</translation>
    </message>
    <message>
        <source>MNIST handwritten digits</source>
        <translation>MNIST 手写数字</translation>
    </message>
    <message>
        <source>Fashion-MNIST clothing</source>
        <translation>Fashion-MNIST 服饰</translation>
    </message>
    <message>
        <source>Kuzushiji-MNIST cursive Japanese</source>
        <translation>Kuzushiji-MNIST 日文草书</translation>
    </message>
    <message>
        <source>CIFAR-10 small colour photos</source>
        <translation>CIFAR-10 小幅彩色照片</translation>
    </message>
    <message>
        <source>Handwritten digits (built in)</source>
        <translation>手写数字（内置）</translation>
    </message>
    <message>
        <source>Images in {folder}</source>
        <translation>{folder} 中的图像</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Datasets are read from (and downloaded to) {folder}; set WORKBENCH_DATA_DIR to change</source>
        <translation>数据集从 {folder} 读取（也下载到这里）；设置 WORKBENCH_DATA_DIR 可更改</translation>
    </message>
    <message>
        <source>Image folder (one sub-folder per class)</source>
        <translation>图像文件夹（每个类别一个子文件夹）</translation>
    </message>
</context>
<context>
    <name>DepthExplorer</name>
    <message>
        <source>Train a plain and a residual 20-layer network and compare their gradients</source>
        <translation>训练一个普通的和一个带残差连接的 20 层网络，比较它们的梯度</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Train both networks and compare them</source>
        <translation>训练两个网络并比较</translation>
    </message>
    <message>
        <source>Train both networks on the built-in digits (a few seconds, in the background)</source>
        <translation>在内置手写数字上训练两个网络（几秒钟，在后台进行）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the run</source>
        <translation>停止运行</translation>
    </message>
    <message>
        <source>The figures of a run appear here.</source>
        <translation>运行的结果数据会显示在这里。</translation>
    </message>
    <message>
        <source>Reading the built-in digits…</source>
        <translation>正在读取内置的手写数字…</translation>
    </message>
    <message>
        <source>Training both networks…</source>
        <translation>正在训练两个网络…</translation>
    </message>
    <message>
        <source>Run trains the same 20-layer network twice on the built-in digits, for {steps} steps each: as a plain stack and with residual connections (out = x + f(x)), from the same starting weights on the same batches. A few seconds later this page shows both loss curves and each layer&apos;s gradient norm.</source>
        <translation>“运行”会在内置的手写数字上把同一个 20 层网络训练两次，每次 {steps} 步：一次是普通的层堆叠，一次带残差连接（out = x + f(x)），两次的初始权重和批次都相同。几秒钟后，本页会显示两条损失曲线以及每一层的梯度范数。</translation>
    </message>
    <message>
        <source>{times} times</source>
        <translation>{times} 倍</translation>
    </message>
    <message>
        <source>infinitely many times</source>
        <translation>无穷多倍</translation>
    </message>
    <message>
        <source>First layer&apos;s gradient norm after training: plain {plain}, residual {residual}: &lt;b&gt;{times}&lt;/b&gt; larger with residual connections.</source>
        <translation>训练后第一层的梯度范数：普通网络 {plain}，残差网络 {residual}：有残差连接时大了 &lt;b&gt;{times}&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>Both trained {steps} steps of {batch} images (SGD, learning rate {lr}, momentum {momentum}) in {seconds} s. Guessing among 10 classes has loss ln 10 = {guessing} and accuracy 10%.</source>
        <translation>两个网络都训练了 {steps} 步，每步 {batch} 张图像（SGD，学习率 {lr}，momentum {momentum}），用时 {seconds} s。在 10 个类别中随机猜测的损失为 ln 10 = {guessing}，准确率为 10%。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{network}&lt;/b&gt;: training loss {first} → {last} (mean of the last {steps} steps); on the test split loss {test_loss}, accuracy {accuracy}%.</source>
        <translation>&lt;b&gt;{network}&lt;/b&gt;：训练损失 {first} → {last}（最后 {steps} 步的平均值）；在测试集上损失 {test_loss}，准确率 {accuracy}%。</translation>
    </message>
    <message>
        <source>The run failed: {message}</source>
        <translation>运行失败：{message}</translation>
    </message>
    <message>
        <source>Trained both networks in {seconds} s.</source>
        <translation>两个网络已训练完毕，用时 {seconds} s。</translation>
    </message>
    <message>
        <source>Cancelled; Run starts again.</source>
        <translation>已取消；点“运行”可重新开始。</translation>
    </message>
    <message>
        <source>What the run found</source>
        <translation>运行结果</translation>
    </message>
    <message>
        <source>Why depth needs a shortcut</source>
        <translation>为什么深度需要捷径</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
</context>
<context>
    <name>DepthPlots</name>
    <message>
        <source>Loss curves and per-layer gradient norms of the plain and the residual network</source>
        <translation>普通网络与残差网络的损失曲线和逐层梯度范数</translation>
    </message>
    <message>
        <source>Training loss of each step</source>
        <translation>每一步的训练损失</translation>
    </message>
    <message>
        <source>guessing: ln 10 = {loss}</source>
        <translation>随机猜测：ln 10 = {loss}</translation>
    </message>
    <message>
        <source>Training loss per step of both networks</source>
        <translation>两个网络每一步的训练损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>training loss (cross-entropy)</source>
        <translation>训练损失（交叉熵）</translation>
    </message>
    <message>
        <source>Gradient norm of each weight layer, log scale</source>
        <translation>每个权重层的梯度范数（对数刻度）</translation>
    </message>
    <message>
        <source>weight layer (1 = first, 20 = Linear)</source>
        <translation>权重层（1 = 第一层，20 = 全连接层 Linear）</translation>
    </message>
    <message>
        <source>gradient norm ‖∂L/∂W‖ (log scale)</source>
        <translation>梯度范数 ‖∂L/∂W‖（对数刻度）</translation>
    </message>
    <message>
        <source>Which gradient-norm measurement to show</source>
        <translation>显示哪一次梯度范数测量</translation>
    </message>
    <message>
        <source>Gradient norm of each weight layer, untrained (step 0) (the slider picks the measurement)</source>
        <translation>每个权重层的梯度范数，未训练时（第 0 步）（滑块选择测量时刻）</translation>
    </message>
    <message>
        <source>Gradient norm of each weight layer, after {steps} steps (the slider picks the measurement)</source>
        <translation>每个权重层的梯度范数，训练 {steps} 步后（滑块选择测量时刻）</translation>
    </message>
</context>
<context>
    <name>DeviceLine</name>
    <message>
        <source>compiled</source>
        <translation>已编译</translation>
    </message>
    <message>
        <source>1 thread</source>
        <translation>1 个线程</translation>
    </message>
    <message>
        <source>{count} threads</source>
        <translation>{count} 个线程</translation>
    </message>
</context>
<context>
    <name>DiffDialog</name>
    <message>
        <source>Layer (A)</source>
        <translation>层 (A)</translation>
    </message>
    <message>
        <source>Output (A)</source>
        <translation>输出 (A)</translation>
    </message>
    <message>
        <source>Params (A)</source>
        <translation>参数 (A)</translation>
    </message>
    <message>
        <source>Layer (B)</source>
        <translation>层 (B)</translation>
    </message>
    <message>
        <source>Output (B)</source>
        <translation>输出 (B)</translation>
    </message>
    <message>
        <source>Params (B)</source>
        <translation>参数 (B)</translation>
    </message>
    <message>
        <source>What differs</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>added: output {shape}, {count} parameters</source>
        <translation>新增：输出 {shape}，{count} 个参数</translation>
    </message>
    <message>
        <source>removed: it gave {shape}, {count} parameters</source>
        <translation>删除：原输出 {shape}，{count} 个参数</translation>
    </message>
    <message>
        <source>output {before} → {after}</source>
        <translation>输出 {before} → {after}</translation>
    </message>
    <message>
        <source>parameters {before} → {after}</source>
        <translation>参数 {before} → {after}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{count} added</source>
        <translation>新增 {count} 层</translation>
    </message>
    <message>
        <source>{count} removed</source>
        <translation>删除 {count} 层</translation>
    </message>
    <message>
        <source>{count} changed</source>
        <translation>修改 {count} 层</translation>
    </message>
    <message>
        <source>{count} with new output shapes</source>
        <translation>{count} 层输出形状改变</translation>
    </message>
    <message>
        <source>{count} with new parameter counts</source>
        <translation>{count} 层参数量改变</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>the same layers</source>
        <translation>各层相同</translation>
    </message>
    <message>
        <source>Architectures: run {left} → run {right}</source>
        <translation>架构对比：运行 {left} → 运行 {right}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{side}&lt;/b&gt; run {id}: {name} ({count} parameters)</source>
        <translation>&lt;b&gt;{side}&lt;/b&gt; 运行 {id}：{name}（{count} 个参数）</translation>
    </message>
    <message>
        <source>Layers of the two runs side by side</source>
        <translation>两次运行的各层并排对比</translation>
    </message>
</context>
<context>
    <name>DrawCanvas</name>
    <message>
        <source>Drawing canvas</source>
        <translation>绘图区</translation>
    </message>
    <message>
        <source>Drawing area: draw a digit with the mouse; it is classified as you draw</source>
        <translation>绘图区：用鼠标写一个数字，边写边识别</translation>
    </message>
    <message>
        <source>Draw with the left mouse button (or a pen). Backspace undoes the last stroke.</source>
        <translation>按住鼠标左键（或用手写笔）书写。Backspace 撤销最后一笔。</translation>
    </message>
    <message>
        <source>the image could not be encoded as PNG</source>
        <translation>无法将图像编码为 PNG</translation>
    </message>
    <message>
        <source>{file} is not an image this app can read (try PNG or JPEG)</source>
        <translation>{file} 不是本应用能读取的图像（请试试 PNG 或 JPEG）</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>在这里绘制一个数字</translation>
    </message>
</context>
<context>
    <name>DrawView</name>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Erase the drawing</source>
        <translation>擦掉所写内容</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>撤销一笔</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Backspace 键</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <source>Pen width (MNIST&apos;s strokes are about 7–9% of the side)</source>
        <translation>笔宽（MNIST 的笔画约为边长的 7–9%）</translation>
    </message>
    <message>
        <source>Black ink on white</source>
        <translation>白底黑字</translation>
    </message>
    <message>
        <source>Only how the canvas looks: the model always gets light ink on dark, as in MNIST</source>
        <translation>只影响画布的显示：模型拿到的始终是黑底白字，与 MNIST 一致</translation>
    </message>
    <message>
        <source>Use as probe</source>
        <translation>用作探针</translation>
    </message>
    <message>
        <source>Follow this drawing through every layer in the Train tab</source>
        <translation>在训练页中跟踪这个手写图像经过每一层的情况</translation>
    </message>
    <message>
        <source>Save PNG…</source>
        <translation>保存 PNG…</translation>
    </message>
    <message>
        <source>Save the drawing as a PNG</source>
        <translation>把手写图像保存为 PNG</translation>
    </message>
    <message>
        <source>Load image…</source>
        <translation>载入图像…</translation>
    </message>
    <message>
        <source>Classify a picture file</source>
        <translation>识别一个图片文件</translation>
    </message>
    <message>
        <source>Predict a folder…</source>
        <translation>预测文件夹…</translation>
    </message>
    <message>
        <source>Predict every picture in a folder</source>
        <translation>预测文件夹中的每张图片</translation>
    </message>
    <message>
        <source>The class the model predicts for the drawing</source>
        <translation>模型对手写图像预测的类别</translation>
    </message>
    <message>
        <source>Draw a digit</source>
        <translation>写一个数字</translation>
    </message>
    <message>
        <source>The image the model sees: the drawing after MNIST&apos;s preprocessing</source>
        <translation>模型看到的图像：经过 MNIST 预处理后的手写图像</translation>
    </message>
    <message>
        <source>What the model sees: cropped to the ink, scaled into 20×20 keeping the aspect ratio, centred by its centre of mass in 28×28</source>
        <translation>模型看到的内容：裁到笔迹范围，保持宽高比缩放到 20×20，再按质心居中放入 28×28</translation>
    </message>
    <message>
        <source>What to lay over the image the model sees</source>
        <translation>在模型看到的图像上叠加什么</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>叠加显示</translation>
    </message>
    <message>
        <source>Grad-CAM: where in the last conv layer&apos;s maps the evidence for the class is. Input gradient: which pixels would change the class&apos;s score most. Click a bar to explain another class.</source>
        <translation>Grad-CAM：最后一个卷积层的特征图中，支持该类别的证据在哪里。输入梯度：哪些像素最能改变该类别的得分。点击柱条可解释另一个类别。</translation>
    </message>
    <message>
        <source>Click a bar of the chart to explain that class; the predicted bar goes back</source>
        <translation>点击图中的柱条来解释那个类别；再点预测的柱条即可返回</translation>
    </message>
    <message>
        <source>Softmax probabilities of the drawing, one bar per class</source>
        <translation>手写图像的 softmax 概率，每个类别一根柱条</translation>
    </message>
    <message>
        <source>Feature maps of the drawing at one layer</source>
        <translation>手写图像在某一层的特征图</translation>
    </message>
    <message>
        <source>Draw a digit to see what each layer makes of it</source>
        <translation>写一个数字，看看每一层把它变成了什么</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>笔</translation>
    </message>
    <message>
        <source>The model sees</source>
        <translation>模型看到的</translation>
    </message>
    <message>
        <source>Draw something first: the drawing becomes the probe</source>
        <translation>请先写点什么：所写的图像会成为探针</translation>
    </message>
    <message>
        <source>Your drawing is now the probe: the Train tab&apos;s feature maps and bars follow it</source>
        <translation>你的手写图像现在是探针：训练页的特征图和柱状图都会跟随它</translation>
    </message>
    <message>
        <source>Save drawing</source>
        <translation>保存绘图</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Cannot save the drawing</source>
        <translation>无法保存手写图像</translation>
    </message>
    <message>
        <source>{path}: {reason}. Choose another folder.</source>
        <translation>{path}：{reason}。请选择其他文件夹。</translation>
    </message>
    <message>
        <source>Saved the drawing to {path}</source>
        <translation>绘图已保存到 {path}</translation>
    </message>
    <message>
        <source>Classify an image</source>
        <translation>识别一张图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.pgm);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.pgm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open the image</source>
        <translation>无法打开图像</translation>
    </message>
    <message>
        <source>Classifying {file}</source>
        <translation>正在识别 {file}</translation>
    </message>
    <message>
        <source>Image only</source>
        <translation>仅图像</translation>
    </message>
    <message>
        <source>Grad-CAM (last conv layer)</source>
        <translation>Grad-CAM（最后一个卷积层）</translation>
    </message>
    <message>
        <source>Input gradient</source>
        <translation>输入梯度</translation>
    </message>
    <message>
        <source>No model to classify with: fix the model in the Build tab.</source>
        <translation>没有可用于识别的模型：请在“构建”页修正模型。</translation>
    </message>
    <message>
        <source>Model: {description}</source>
        <translation>模型：{description}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Model untrained (random weights): train it in the Train tab, or open a trained model.&lt;/b&gt;</source>
        <translation>&lt;b&gt;模型未训练（随机权重）：请在“训练”页训练它，或打开一个已训练的模型。&lt;/b&gt;</translation>
    </message>
    <message>
        <source>This model takes inputs of shape {shape}, not images</source>
        <translation>此模型的输入形状为 {shape}，不是图像</translation>
    </message>
    <message>
        <source>{percent}% confident</source>
        <translation>置信度 {percent}%</translation>
    </message>
    <message>
        <source>{percent}% confident (untrained: a guess)</source>
        <translation>置信度 {percent}%（未训练：只是猜测）</translation>
    </message>
    <message>
        <source>Evidence for &lt;b&gt;{name}&lt;/b&gt; · clicked</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; 的依据 · 点击选中</translation>
    </message>
    <message>
        <source>Evidence for &lt;b&gt;{name}&lt;/b&gt; · predicted</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; 的依据 · 预测类别</translation>
    </message>
</context>
<context>
    <name>Experiments</name>
    <message>
        <source>the training setting {name}</source>
        <translation>训练设置 {name}</translation>
    </message>
    <message>
        <source>layer {number}</source>
        <translation>第 {number} 层</translation>
    </message>
    <message>
        <source>{done} of {budget} trials finished</source>
        <translation>{budget} 次试验中已完成 {done} 次</translation>
    </message>
    <message>
        <source>{done} trials finished</source>
        <translation>已完成 {done} 次试验</translation>
    </message>
    <message>
        <source>{count} running</source>
        <translation>{count} 次运行中</translation>
    </message>
    <message>
        <source>{count} pruned</source>
        <translation>{count} 次被剪枝</translation>
    </message>
    <message>
        <source>{count} failed</source>
        <translation>{count} 次失败</translation>
    </message>
    <message>
        <source>No trial has finished with a score yet.</source>
        <translation>还没有试验完成并得出分数。</translation>
    </message>
    <message>
        <source>Best: trial {number}, {score} on validation ({values})</source>
        <translation>最佳：试验 {number}，验证集上 {score}（{values}）</translation>
    </message>
    <message>
        <source>its model is not kept</source>
        <translation>未保留其模型</translation>
    </message>
    <message>
        <source>; no test accuracy: {why}</source>
        <translation>；无测试准确率：{why}</translation>
    </message>
    <message>
        <source>; {accuracy}% on the test images</source>
        <translation>；测试图像上 {accuracy}%</translation>
    </message>
    <message>
        <source>; {accuracy}% on {images} test images</source>
        <translation>；{images} 张测试图像上 {accuracy}%</translation>
    </message>
    <message>
        <source>Varies</source>
        <translation>变化的超参数</translation>
    </message>
    <message>
        <source>{low} to {high} (log-uniform)</source>
        <translation>{low} 到 {high}（对数均匀）</translation>
    </message>
    <message>
        <source>{low} to {high} (integers)</source>
        <translation>{low} 到 {high}（整数）</translation>
    </message>
    <message>
        <source>{low} to {high} (uniform)</source>
        <translation>{low} 到 {high}（均匀）</translation>
    </message>
    <message>
        <source>{trials} trials</source>
        <translation>{trials} 次试验</translation>
    </message>
    <message>
        <source>no trial limit</source>
        <translation>试验次数不限</translation>
    </message>
    <message>
        <source>{minutes} minutes</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{seeds} seeds each</source>
        <translation>每个配置 {seeds} 个随机种子</translation>
    </message>
    <message>
        <source>{seeds} seed each</source>
        <translation>每个配置 {seeds} 个随机种子</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>ExperimentsLayout</name>
    <message>
        <source>The study&apos;s trials; double-click one to see its runs</source>
        <translation>研究的各次试验；双击一行可查看其运行</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>试验</translation>
    </message>
    <message>
        <source>Search space</source>
        <translation>搜索空间</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>研究</translation>
    </message>
</context>
<context>
    <name>ExperimentsView</name>
    <message>
        <source>Nothing in the model is marked to vary: mark layer parameters or training settings with Vary… first</source>
        <translation>模型中没有标记为可变的内容：请先用“变化…”标记层参数或训练设置</translation>
    </message>
    <message>
        <source>Study {name} is done: {progress}.</source>
        <translation>研究 {name} 已完成：{progress}。</translation>
    </message>
    <message>
        <source>Study {name} stopped: {progress}. Resume goes on where it was.</source>
        <translation>研究 {name} 已停止：{progress}。“继续”会从停下的地方接着进行。</translation>
    </message>
    <message>
        <source>What the study varies, or why it cannot start</source>
        <translation>研究变化哪些超参数，或为何无法开始</translation>
    </message>
    <message>
        <source>The data and settings each trial starts from</source>
        <translation>每次试验所用的数据和基础设置</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start a new study</source>
        <translation>开始一项新研究</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the study&apos;s trials</source>
        <translation>停止研究中的试验</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Go on with the named study</source>
        <translation>继续进行该名称的研究</translation>
    </message>
    <message>
        <source>How the study stands</source>
        <translation>研究的进展</translation>
    </message>
    <message>
        <source>The best configuration and its test accuracy</source>
        <translation>最佳配置及其测试准确率</translation>
    </message>
    <message>
        <source>Use best</source>
        <translation>采用最佳</translation>
    </message>
    <message>
        <source>Put the best configuration into the Build and Train tabs</source>
        <translation>把最佳配置填入构建和训练选项卡</translation>
    </message>
    <message>
        <source>Open as run</source>
        <translation>作为运行打开</translation>
    </message>
    <message>
        <source>Show the selected trial&apos;s runs in Runs</source>
        <translation>在运行记录中显示所选试验的运行</translation>
    </message>
    <message>
        <source>fix {place} first: {cause}</source>
        <translation>请先修正{place}：{cause}</translation>
    </message>
    <message>
        <source>Train tab settings: {problem}</source>
        <translation>训练选项卡的设置：{problem}</translation>
    </message>
    <message>
        <source>{count} epoch</source>
        <translation>{count} 轮</translation>
    </message>
    <message>
        <source>{count} epochs</source>
        <translation>{count} 轮</translation>
    </message>
    <message>
        <source>Each trial trains on &lt;b&gt;{data}&lt;/b&gt; with the Train tab&apos;s settings (learning rate {lr}, batch {batch}, {epochs}) where the marks leave them.</source>
        <translation>每次试验在 &lt;b&gt;{data}&lt;/b&gt; 上训练，未被标记的部分沿用训练选项卡的设置（学习率 {lr}，批大小 {batch}，{epochs}）。</translation>
    </message>
    <message>
        <source>Checking the model and the data…</source>
        <translation>正在检查模型和数据…</translation>
    </message>
    <message>
        <source>Stopping: each trial ends at its next batch…</source>
        <translation>正在停止：每次试验会在下一个批次结束…</translation>
    </message>
    <message>
        <source>Resumed study {name}: {budget}.</source>
        <translation>已继续研究 {name}：{budget}。</translation>
    </message>
    <message>
        <source>Started study {name}: {budget}.</source>
        <translation>已开始研究 {name}：{budget}。</translation>
    </message>
    <message>
        <source>Not started.</source>
        <translation>未开始。</translation>
    </message>
    <message>
        <source>Study {name}: {progress}.</source>
        <translation>研究 {name}：{progress}。</translation>
    </message>
    <message>
        <source>Use the best of study {name}</source>
        <translation>采用研究 {name} 的最佳配置</translation>
    </message>
    <message>
        <source>Trial {number}&apos;s configuration is in the Build and Train tabs</source>
        <translation>试验 {number} 的配置已填入构建和训练选项卡</translation>
    </message>
    <message>
        <source>Trial {number} has no runs kept yet</source>
        <translation>试验 {number} 还没有保存的运行</translation>
    </message>
</context>
<context>
    <name>FeatureMapView</name>
    <message>
        <source>Input only</source>
        <translation>仅输入图像</translation>
    </message>
    <message>
        <source>Grad-CAM (last conv layer)</source>
        <translation>Grad-CAM（最后一个卷积层）</translation>
    </message>
    <message>
        <source>Input gradient</source>
        <translation>输入梯度</translation>
    </message>
    <message>
        <source>Grad-CAM needs a Conv2d layer; this model has none (use the input gradient)</source>
        <translation>Grad-CAM 需要卷积层 Conv2d，而此模型没有（请改用输入梯度）</translation>
    </message>
    <message>
        <source>Input — {shape}</source>
        <translation>输入 — {shape}</translation>
    </message>
    <message>
        <source>Feature maps of the probe image at one layer, and the input image</source>
        <translation>探针图像在某一层的特征图，以及输入图像</translation>
    </message>
    <message>
        <source>Feature map layer</source>
        <translation>特征图所在层</translation>
    </message>
    <message>
        <source>Shared scale</source>
        <translation>统一色阶</translation>
    </message>
    <message>
        <source>One colour scale for all channels instead of each channel&apos;s own min/max</source>
        <translation>所有通道共用一个色阶，而不是各用自己的最小/最大值</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>No probe yet — feature maps appear once training starts</source>
        <translation>尚无探针图像 — 训练开始后显示特征图</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特征图</translation>
    </message>
    <message>
        <source>The input image and the chosen layer&apos;s feature maps</source>
        <translation>输入图像和所选层的特征图</translation>
    </message>
    <message>
        <source>Caption of the feature maps</source>
        <translation>特征图说明</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>What to lay over the probe image: why the model said what it said</source>
        <translation>在探针图像上叠加什么：模型为什么这样判断</translation>
    </message>
    <message>
        <source>Grad-CAM: where the last conv layer found evidence for the class. Input gradient: which pixels change its score most. Click a bar of the softmax chart to explain that class.</source>
        <translation>Grad-CAM：最后一个卷积层在哪里找到了该类别的证据。输入梯度：哪些像素最能改变它的得分。点击 softmax 图中的柱条可解释那个类别。</translation>
    </message>
    <message>
        <source>left: input</source>
        <translation>左：输入</translation>
    </message>
    <message>
        <source>left: input (label {label})</source>
        <translation>左：输入（标签 {label}）</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>first {shown} of {total} channels</source>
        <translation>{total} 个通道中的前 {shown} 个</translation>
    </message>
    <message>
        <source>shared scale</source>
        <translation>统一色阶</translation>
    </message>
    <message>
        <source>per-channel scale</source>
        <translation>各通道独立色阶</translation>
    </message>
    <message>
        <source>hover a map for values</source>
        <translation>悬停在特征图上查看数值</translation>
    </message>
    <message>
        <source>saliency comes with the next update</source>
        <translation>显著性图将随下一次更新显示</translation>
    </message>
    <message>
        <source>input gradient</source>
        <translation>输入梯度</translation>
    </message>
    <message>
        <source>{method} at layer {layer}: evidence for {name}</source>
        <translation>{method}（层 {layer}）：支持 {name} 的证据</translation>
    </message>
    <message>
        <source>{method}: evidence for {name}</source>
        <translation>{method}：支持 {name} 的证据</translation>
    </message>
    <message>
        <source>channel {channel} · pixel ({x}, {y}) = {value} · step {step}</source>
        <translation>通道 {channel} · 像素 ({x}, {y}) = {value} · 第 {step} 步</translation>
    </message>
</context>
<context>
    <name>FilterView</name>
    <message>
        <source>First conv layer — no weights yet</source>
        <translation>第一个卷积层 — 尚无权重</translation>
    </message>
    <message>
        <source>Weights of the first convolution layer, one tile per output filter</source>
        <translation>第一个卷积层的权重，每个输出卷积核一格</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>First-layer filters</source>
        <translation>第一层卷积核</translation>
    </message>
    <message>
        <source>Mosaic of the first convolution layer&apos;s filters</source>
        <translation>第一个卷积层的卷积核拼图</translation>
    </message>
    <message>
        <source>RGB, ±max per filter</source>
        <translation>彩色，按每个卷积核的 ±最大值缩放</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>mean over {inputs} inputs</source>
        <translation>{inputs} 个输入通道的平均</translation>
    </message>
    <message>
        <source>{count} filters (first {shown}) of {shape} · {how}</source>
        <translation>{count} 个 {shape} 卷积核（显示前 {shown} 个）· {how}</translation>
    </message>
    <message>
        <source>{count} filters of {shape} · {how}</source>
        <translation>{count} 个 {shape} 卷积核 · {how}</translation>
    </message>
    <message>
        <source>filter {index} · ({x}, {y}) = {value}</source>
        <translation>卷积核 {index} · ({x}, {y}) = {value}</translation>
    </message>
</context>
<context>
    <name>ForwardStrip</name>
    <message>
        <source>Forward strip</source>
        <translation>前向传播示意条</translation>
    </message>
    <message>
        <source>Input: {shape}</source>
        <translation>输入：{shape}</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>{layer}: {cause}; {fix}</source>
        <translation>{layer}：{cause}；{fix}</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>{layer}: not reached; fix {where} first</source>
        <translation>{layer}：未到达；请先修正{where}</translation>
    </message>
    <message>
        <source>{layer}: in a block that cannot work; fix {where} first</source>
        <translation>{layer}：所在的块无法工作；请先修正{where}</translation>
    </message>
    <message>
        <source>skip path: {projection}</source>
        <translation>跳跃路径：{projection}</translation>
    </message>
    <message>
        <source>{layer}: {problem}</source>
        <translation>{layer}：{problem}</translation>
    </message>
    <message>
        <source>{layer}: not reached</source>
        <translation>{layer}：未到达</translation>
    </message>
    <message>
        <source>{layer} → {shape}, 1 parameter</source>
        <translation>{layer} → {shape}，1 个参数</translation>
    </message>
    <message>
        <source>{layer} → {shape}, {params} parameters</source>
        <translation>{layer} → {shape}，{params} 个参数</translation>
    </message>
</context>
<context>
    <name>HardExamplesDialog</name>
    <message>
        <source>Hard examples</source>
        <translation>难例</translation>
    </message>
    <message>
        <source>Images of the chosen cell</source>
        <translation>所选单元格的图像</translation>
    </message>
    <message>
        <source>No validation image is true &lt;b&gt;{true}&lt;/b&gt; read as &lt;b&gt;{predicted}&lt;/b&gt; with the current weights.</source>
        <translation>按当前权重，没有真实为 &lt;b&gt;{true}&lt;/b&gt; 却被识别为 &lt;b&gt;{predicted}&lt;/b&gt; 的验证图像。</translation>
    </message>
    <message>
        <source>{count} validation images true &lt;b&gt;{true}&lt;/b&gt; read as &lt;b&gt;{predicted}&lt;/b&gt;, the first {shown} shown, the most doubtful first (smallest gap between the top two probabilities). Pin one to follow it through every layer.</source>
        <translation>{count} 张真实为 &lt;b&gt;{true}&lt;/b&gt; 却被识别为 &lt;b&gt;{predicted}&lt;/b&gt; 的验证图像，显示前 {shown} 张，最不确定的在前（前两个概率相差最小）。固定其中一张，可逐层跟踪它。</translation>
    </message>
    <message>
        <source>{count} validation images true &lt;b&gt;{true}&lt;/b&gt; read as &lt;b&gt;{predicted}&lt;/b&gt;, the most doubtful first (smallest gap between the top two probabilities). Pin one to follow it through every layer.</source>
        <translation>{count} 张真实为 &lt;b&gt;{true}&lt;/b&gt; 却被识别为 &lt;b&gt;{predicted}&lt;/b&gt; 的验证图像，最不确定的在前（前两个概率相差最小）。固定其中一张，可逐层跟踪它。</translation>
    </message>
    <message>
        <source>#{index}
p {probability} · gap {gap}</source>
        <translation>#{index}
概率 {probability} · 差距 {gap}</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Pin validation image #{index} as the probe: follow it through every layer on the Train tab</source>
        <translation>将验证图像 #{index} 固定为探针图像：在训练页逐层跟踪它</translation>
    </message>
</context>
<context>
    <name>HealthView</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Dead/sat.</source>
        <translation>死亡/饱和</translation>
    </message>
    <message>
        <source>‖grad‖</source>
        <translation>‖梯度‖</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新比</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>The layer&apos;s place in the stack and its type</source>
        <translation>该层在层栈中的位置及其类型</translation>
    </message>
    <message>
        <source>ReLU: the share of units that are 0 for every sample image (dead). Sigmoid/Tanh: the share of outputs in the flat ends (saturated)</source>
        <translation>ReLU：对所有样本图像都输出 0 的单元所占比例（死亡）。Sigmoid/Tanh：落在平坦两端的输出所占比例（饱和）</translation>
    </message>
    <message>
        <source>The norm of the gradient of the loss with respect to the layer&apos;s weights</source>
        <translation>损失对该层权重的梯度范数</translation>
    </message>
    <message>
        <source>‖Δw‖/‖w‖: how far one training step moved the weights, relative to their size (about 1e-3 is healthy)</source>
        <translation>‖ΔW‖/‖W‖：一步训练使权重移动的幅度，相对于权重本身的大小（约 1e-3 为健康）</translation>
    </message>
    <message>
        <source>What looks wrong, against the thresholds below</source>
        <translation>按下方阈值判断的异常</translation>
    </message>
    <message>
        <source>Layer health — no measurement yet</source>
        <translation>层健康状况 — 尚无测量</translation>
    </message>
    <message>
        <source>Every layer&apos;s health appears here while a run trains: dead ReLUs, saturated Sigmoid/Tanh, vanishing or exploding gradients, and how fast each layer&apos;s weights move</source>
        <translation>训练运行时，这里显示每一层的健康状况：死亡的 ReLU、饱和的 Sigmoid/Tanh、梯度消失或爆炸，以及各层权重变化的快慢</translation>
    </message>
    <message>
        <source>Layer health is not measured: tick “Measure while training” and train</source>
        <translation>未测量层健康状况：请勾选“训练时测量”后再训练</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>dead: a ReLU with more than {dead} of its units 0 for every sample image</source>
        <translation>死亡：ReLU 中超过 {dead} 的单元对所有样本图像都输出 0</translation>
    </message>
    <message>
        <source>saturated: a Sigmoid/Tanh with more than {saturated} of its outputs in the flat ends</source>
        <translation>饱和：Sigmoid/Tanh 中超过 {saturated} 的输出落在平坦两端</translation>
    </message>
    <message>
        <source>vanishing / exploding: a weight gradient norm below {vanishing} / above {exploding}</source>
        <translation>梯度消失 / 爆炸：权重梯度范数低于 {vanishing} / 高于 {exploding}</translation>
    </message>
    <message>
        <source>update ratio ‖Δw‖/‖w‖ of one step: below {low} barely learning, above {high} thrashing (about 1e-3 is healthy)</source>
        <translation>一步的更新比 ‖ΔW‖/‖W‖：低于 {low} 几乎没有学习，高于 {high} 剧烈震荡（约 1e-3 为健康）</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Per-layer health while training: histograms over time and flags</source>
        <translation>训练中每层的健康状况：随时间变化的直方图和警示</translation>
    </message>
    <message>
        <source>Layer health</source>
        <translation>层健康状况</translation>
    </message>
    <message>
        <source>Health of each layer</source>
        <translation>各层的健康状况</translation>
    </message>
    <message>
        <source>Histograms to show</source>
        <translation>要显示的直方图</translation>
    </message>
    <message>
        <source>Every {seconds} s of training, one extra forward and backward pass on 32 images of the batch (it costs a few percent of the training speed). Applies from the next run.</source>
        <translation>训练中每 {seconds} 秒，对批次中的 32 张图像额外做一次前向和反向传播（训练速度会慢几个百分点）。从下一次运行起生效。</translation>
    </message>
    <message>
        <source>Which histograms of the chosen layer to show over time</source>
        <translation>显示所选层的哪种直方图随时间的变化</translation>
    </message>
    <message>
        <source>Measure while training</source>
        <translation>训练时测量</translation>
    </message>
    <message>
        <source>Flags: dead or saturated &gt; 50% · gradient norm &lt; 1e-7 or &gt; 1e3 · update ratio outside 1e-5…1e-1</source>
        <translation>警示条件：死亡或饱和 &gt; 50% · 梯度范数 &lt; 1e-7 或 &gt; 1e3 · 更新比例超出 1e-5…1e-1</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>share (√ scale)</source>
        <translation>占比（√ 刻度）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer health&lt;/b&gt; · step {step} · {measurements} measurements · &lt;b&gt;1 layer flagged&lt;/b&gt;</source>
        <translation>&lt;b&gt;层健康状况&lt;/b&gt; · 第 {step} 步 · {measurements} 次测量 · &lt;b&gt;1 层有警示&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer health&lt;/b&gt; · step {step} · {measurements} measurements · &lt;b&gt;{flagged} layers flagged&lt;/b&gt;</source>
        <translation>&lt;b&gt;层健康状况&lt;/b&gt; · 第 {step} 步 · {measurements} 次测量 · &lt;b&gt;{flagged} 层有警示&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer health&lt;/b&gt; · step {step} · {measurements} measurements · all layers ok</source>
        <translation>&lt;b&gt;层健康状况&lt;/b&gt; · 第 {step} 步 · {measurements} 次测量 · 各层正常</translation>
    </message>
    <message>
        <source>this layer</source>
        <translation>该层</translation>
    </message>
    <message>
        <source>layer {place}</source>
        <translation>层 {place}</translation>
    </message>
    <message>
        <source>{layer} has no {kind}</source>
        <translation>{layer}没有{kind}</translation>
    </message>
    <message>
        <source>{layer} has no {kind} (no weights)</source>
        <translation>{layer}没有{kind}（无权重）</translation>
    </message>
    <message>
        <source>{layer}: {kind} over time</source>
        <translation>{layer}：{kind}随时间的变化</translation>
    </message>
</context>
<context>
    <name>LayerInspector</name>
    <message>
        <source>Select a layer in the stack to see and edit its settings</source>
        <translation>在层列表中选择一个层，查看并编辑它的设置</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>What the layer does</source>
        <translation>这个层做什么</translation>
    </message>
    <message>
        <source>Where the layer is</source>
        <translation>层所在的位置</translation>
    </message>
    <message>
        <source>Set from the input</source>
        <translation>由输入决定的参数</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Output: {shape} · {params} parameters · {macs} multiply-adds</source>
        <translation>输出：{shape} · {params} 个参数 · {macs} 次乘加</translation>
    </message>
    <message>
        <source>A layer inside cannot work: {where}: {cause}.
Fix: {fix}.</source>
        <translation>块内有一层无法工作：{where}：{cause}。
修正：{fix}。</translation>
    </message>
    <message>
        <source>This layer cannot work: {cause}.
Fix: {fix}.</source>
        <translation>这个层无法工作：{cause}。
修正：{fix}。</translation>
    </message>
    <message>
        <source>Layer inspector</source>
        <translation>层检查器</translation>
    </message>
    <message>
        <source>Reset {name}</source>
        <translation>重置 {name}</translation>
    </message>
    <message>
        <source>Reset {name} to torch&apos;s default</source>
        <translation>把 {name} 恢复为 torch 的默认值</translation>
    </message>
    <message>
        <source>{name} = {value} (from the block&apos;s input)</source>
        <translation>{name} = {value}（来自块的输入）</translation>
    </message>
    <message>
        <source>{name} = {value} (from the input)</source>
        <translation>{name} = {value}（来自输入）</translation>
    </message>
    <message>
        <source>{name} = {value} (from the previous layer)</source>
        <translation>{name} = {value}（来自上一层）</translation>
    </message>
    <message>
        <source>{name} = ? (this layer does not fit its input; see below)</source>
        <translation>{name} = ?（这个层与它的输入不匹配，见下文）</translation>
    </message>
    <message>
        <source>{name} = ? (worked out once the layers above fit together)</source>
        <translation>{name} = ?（上面的层相互匹配后即可算出）</translation>
    </message>
    <message>
        <source>Output: not known until the layers above fit together</source>
        <translation>输出：要等上面的层相互匹配后才能知道</translation>
    </message>
</context>
<context>
    <name>LayerPalette</name>
    <message>
        <source>Layer palette</source>
        <translation>层面板</translation>
    </message>
    <message>
        <source>Add {type}</source>
        <translation>添加 {type}</translation>
    </message>
    <message>
        <source>About {type}</source>
        <translation>关于 {type}</translation>
    </message>
</context>
<context>
    <name>LayerStack</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Layer stack</source>
        <translation>层列表</translation>
    </message>
    <message>
        <source>Add layer after</source>
        <translation>在后面添加层</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>添加层</translation>
    </message>
    <message>
        <source>Add layer to branch {number}</source>
        <translation>向分支 {number} 添加层</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close block</source>
        <translation>折叠块</translation>
    </message>
    <message>
        <source>Open block</source>
        <translation>展开块</translation>
    </message>
    <message>
        <source>Add branch</source>
        <translation>添加分支</translation>
    </message>
    <message>
        <source>Explore this layer in the Learn tab</source>
        <translation>在学习页中探索此层</translation>
    </message>
    <message>
        <source>Remove branch {number}</source>
        <translation>删除分支 {number}</translation>
    </message>
    <message>
        <source>1 layer</source>
        <translation>1 层</translation>
    </message>
    <message>
        <source>{count} layers</source>
        <translation>{count} 层</translation>
    </message>
    <message>
        <source>after a layer that cannot work</source>
        <translation>位于无法工作的层之后</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>projection {source}→{target}</source>
        <translation>投影 {source}→{target}</translation>
    </message>
    <message>
        <source>1 branch</source>
        <translation>1 个分支</translation>
    </message>
    <message>
        <source>{count} branches</source>
        <translation>{count} 个分支</translation>
    </message>
    <message>
        <source>empty: passes the input through</source>
        <translation>空：输入原样传出</translation>
    </message>
    <message>
        <source>branch {number}</source>
        <translation>分支 {number}</translation>
    </message>
    <message>
        <source>varies {marks}</source>
        <translation>变化 {marks}</translation>
    </message>
    <message>
        <source>{low} to {high} (log-uniform)</source>
        <translation>{low} 到 {high}（对数均匀）</translation>
    </message>
    <message>
        <source>{low} to {high} (integers)</source>
        <translation>{low} 到 {high}（整数）</translation>
    </message>
    <message>
        <source>{low} to {high} (uniform)</source>
        <translation>{low} 到 {high}（均匀）</translation>
    </message>
</context>
<context>
    <name>LearnPanel</name>
    <message>
        <source>Learn</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>See how convolution, pooling, activations, softmax and depth work, on real numbers</source>
        <translation>用真实的数字看卷积、池化、激活函数、softmax 和网络深度如何工作</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Softmax &amp;&amp; loss</source>
        <translation>Softmax 与损失</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <source>Showing layer {number} of your model: {layer}</source>
        <translation>正在显示你的模型的第 {number} 层：{layer}</translation>
    </message>
    <message>
        <source>Showing your model: {layer}</source>
        <translation>正在显示你的模型：{layer}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
</context>
<context>
    <name>LearnTexts</name>
    <message>
        <source>Stroke (a 7)</source>
        <translation>笔画（数字 7）</translation>
    </message>
    <message>
        <source>Random 0–9</source>
        <translation>随机 0–9</translation>
    </message>
    <message>
        <source>Ramp</source>
        <translation>渐变</translation>
    </message>
    <message>
        <source>Vertical edge</source>
        <translation>竖直边缘</translation>
    </message>
    <message>
        <source>Horizontal edge</source>
        <translation>水平边缘</translation>
    </message>
    <message>
        <source>Box blur</source>
        <translation>均值模糊</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>恒等</translation>
    </message>
    <message>
        <source>Random −1/0/1</source>
        <translation>随机 −1/0/1</translation>
    </message>
    <message>
        <source>Model: first conv layer</source>
        <translation>模型：第一个卷积层</translation>
    </message>
    <message>
        <source>Probe image</source>
        <translation>探针图像</translation>
    </message>
    <message>
        <source>plain 20 layers</source>
        <translation>普通 20 层网络</translation>
    </message>
    <message>
        <source>residual 20 layers</source>
        <translation>残差 20 层网络</translation>
    </message>
    <message>
        <source>channel {number}: {sum}</source>
        <translation>通道 {number}：{sum}</translation>
    </message>
    <message>
        <source>output = {sum}</source>
        <translation>输出 = {sum}</translation>
    </message>
    <message>
        <source>bias </source>
        <translation>偏置 </translation>
    </message>
    <message>
        <source>max({values}) = {result}</source>
        <translation>最大值({values}) = {result}</translation>
    </message>
    <message>
        <source> (padding counts as 0)</source>
        <translation>（填充按 0 计）</translation>
    </message>
    <message>
        <source>• Adding {shift} to every logit changes no probability (largest change {moved}): softmax only sees differences between logits, so probabilities cannot give the logits back.</source>
        <translation>• 给所有 logits 都加上 {shift}，概率都不变（最大变化 {moved}）：softmax 只看 logits 之间的差，所以无法从概率还原出 logits。</translation>
    </message>
    <message>
        <source>• A confident model (these logits × {scale}) gives probabilities {rounded}: the other classes all read 0 and their order is lost ({zeros} of {count} are exactly 0 even in float32). The logits keep the order and the margins.</source>
        <translation>• 一个很自信的模型（这些 logits × {scale}）给出的概率是 {rounded}：其他类别都显示为 0，它们的先后顺序丢失了（即使用 32 位浮点数，{count} 个里也有 {zeros} 个恰好为 0）。logits 则保留了顺序和差距。</translation>
    </message>
    <message>
        <source>• The loss needs log p = z − logsumexp(z), computed stably from logits; from a probability rounded to 0, log 0 = −∞. Softmax is one line away from logits, never the other way round.</source>
        <translation>• 损失需要 log p = z − logsumexp(z)，从 logits 计算是数值稳定的；而对于舍入为 0 的概率，log 0 = −∞。从 logits 得到 softmax 只需一行代码，反过来却做不到。</translation>
    </message>
</context>
<context>
    <name>LearningRatePlot</name>
    <message>
        <source>Learning rate over training steps</source>
        <translation>学习率随训练步数的变化</translation>
    </message>
    <message>
        <source>step (batches)</source>
        <translation>步数（批次）</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
</context>
<context>
    <name>LivePanels</name>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>LR finder</source>
        <translation>学习率搜索</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <source>Misclassified</source>
        <translation>误分类</translation>
    </message>
    <message>
        <source>First-layer filters</source>
        <translation>第一层卷积核</translation>
    </message>
    <message>
        <source>Layer health</source>
        <translation>层健康状况</translation>
    </message>
</context>
<context>
    <name>LivePlot</name>
    <message>
        <source>Log scale (y)</source>
        <translation>对数刻度（y）</translation>
    </message>
</context>
<context>
    <name>LogitsOptionsDialog</name>
    <message>
        <source>Export logits</source>
        <translation>导出 logits</translation>
    </message>
    <message>
        <source>Include probabilities (softmax of the logits)</source>
        <translation>包含概率（logits 的 softmax）</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>Training loss per batch, raw and smoothed, and validation loss per epoch</source>
        <translation>每个批次的训练损失（原始值与平滑值），以及每轮的验证损失</translation>
    </message>
    <message>
        <source>step (batches)</source>
        <translation>步数（批次）</translation>
    </message>
    <message>
        <source>loss (cross-entropy)</source>
        <translation>损失（交叉熵）</translation>
    </message>
    <message>
        <source>train (batch)</source>
        <translation>训练（每批次）</translation>
    </message>
    <message>
        <source>validation (epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不平滑</translation>
    </message>
    <message>
        <source>EMA {beta}</source>
        <translation>指数平滑 {beta}</translation>
    </message>
    <message>
        <source>train (EMA {beta})</source>
        <translation>训练（平滑 {beta}）</translation>
    </message>
</context>
<context>
    <name>LrFinderPlot</name>
    <message>
        <source>Loss against learning rate from the range test, with the proposed rate</source>
        <translation>范围测试中损失随学习率的变化，以及建议的学习率</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>采用</translation>
    </message>
    <message>
        <source>learning rate (log scale)</source>
        <translation>学习率（对数刻度）</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>损失（平滑）</translation>
    </message>
    <message>
        <source>Find learning rate (in the settings) tries rates from 1e-6 to 1 on a hundred batches and shows here how the loss answers.</source>
        <translation>“查找学习率”（在设置中）会在一百个批次上尝试从 1e-6 到 1 的学习率，并在这里显示损失的变化。</translation>
    </message>
    <message>
        <source>Use {rate}</source>
        <translation>使用 {rate}</translation>
    </message>
    <message>
        <source>Proposed peak rate {rate}, a tenth of the lowest-loss rate</source>
        <translation>建议峰值学习率 {rate}，即损失最低处学习率的十分之一</translation>
    </message>
    <message>
        <source>The loss was lowest at {minimum} and fell fastest at {steepest}. For a one-cycle schedule, a tenth of the lowest-loss rate is the classic peak.</source>
        <translation>损失在 {minimum} 处最低，在 {steepest} 处下降最快。对单周期调度来说，损失最低处学习率的十分之一是经典的峰值。</translation>
    </message>
    <message>
        <source>Trying learning rates…</source>
        <translation>正在尝试各个学习率…</translation>
    </message>
    <message>
        <source>No proposal: {problem}</source>
        <translation>没有建议：{problem}</translation>
    </message>
</context>
<context>
    <name>LrSearch</name>
    <message>
        <source>Proposed peak learning rate {rate}; Use puts it in the settings</source>
        <translation>建议峰值学习率 {rate}；点“使用”可填入设置</translation>
    </message>
    <message>
        <source>The learning-rate search found no proposal: {problem}</source>
        <translation>学习率查找没有得出建议：{problem}</translation>
    </message>
    <message>
        <source>Learning rate set to {rate}</source>
        <translation>学习率已设为 {rate}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>构建</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Learn</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New from template</source>
        <translation>从模板新建(&amp;N)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>层(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>{file}[*] — CNN Workbench</source>
        <translation>{file}[*] — CNN Workbench</translation>
    </message>
    <message>
        <source>untitled.json[*] — CNN Workbench</source>
        <translation>未命名.json[*] — CNN Workbench</translation>
    </message>
    <message>
        <source>Fix layer {number} first: {problem}</source>
        <translation>请先修正第 {number} 层：{problem}</translation>
    </message>
    <message>
        <source>Fix {place} to train: {cause}; {fix}</source>
        <translation>修正{place}后才能训练：{cause}；{fix}</translation>
    </message>
    <message>
        <source>Models (*.json *.cnnwb);;Model spec (*.json);;Trained model (*.cnnwb);;All files (*)</source>
        <translation>模型 (*.json *.cnnwb);;模型描述 (*.json);;已训练模型 (*.cnnwb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Model spec (*.json);;All files (*)</source>
        <translation>模型描述 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The model has unsaved changes. Save them before you quit?</source>
        <translation>模型有未保存的更改。退出前要保存吗？</translation>
    </message>
    <message>
        <source>The model has unsaved changes. Save them before you open another model?</source>
        <translation>模型有未保存的更改。打开另一个模型前要保存吗？</translation>
    </message>
    <message>
        <source>About CNN Workbench</source>
        <translation>关于 CNN Workbench</translation>
    </message>
    <message>
        <source>CNN Workbench: build a convolutional network from layers, train it while watching it learn, and draw digits to see them classified.</source>
        <translation>CNN Workbench：用一层层搭建卷积网络，边训练边观察它如何学习，再手写数字看它如何分类。</translation>
    </message>
    <message>
        <source>Opened {file}; {problem}</source>
        <translation>已打开 {file}；{problem}</translation>
    </message>
    <message>
        <source>Opened {file}, with its recommended settings in the Train tab</source>
        <translation>已打开 {file}，其推荐设置已填入训练选项卡</translation>
    </message>
    <message>
        <source>Opened {file}</source>
        <translation>已打开 {file}</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open a model spec (.json) or a trained model (.cnnwb)</source>
        <translation>打开模型规格 (.json) 或训练好的模型 (.cnnwb)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>About &amp;layers</source>
        <translation>关于各层(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About CNN Workbench</source>
        <translation>关于 CNN Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>Where training runs</source>
        <translation>训练在哪个设备上运行</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Train this model (Ctrl+T)</source>
        <translation>训练这个模型（Ctrl+T）</translation>
    </message>
    <message>
        <source>Model input set to {shape} for the chosen dataset</source>
        <translation>模型输入已按所选数据集设为 {shape}</translation>
    </message>
    <message>
        <source>New from template {name}</source>
        <translation>从模板新建 {name}</translation>
    </message>
    <message>
        <source>{name}: {measured}, with the settings now in the Train tab</source>
        <translation>{name}：{measured}，所用设置已填入训练选项卡</translation>
    </message>
    <message>
        <source>its recommended settings are not used: {problem}</source>
        <translation>未采用其推荐设置：{problem}</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Opened the trained model {file}</source>
        <translation>已打开已训练模型 {file}</translation>
    </message>
    <message>
        <source>Cannot open this model</source>
        <translation>无法打开此模型</translation>
    </message>
    <message>
        <source>{file}: {problem}</source>
        <translation>{file}：{problem}</translation>
    </message>
    <message>
        <source>Save model spec</source>
        <translation>保存模型描述</translation>
    </message>
    <message>
        <source>Cannot save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>{file}: {problem}. Choose another folder.</source>
        <translation>{file}：{problem}。请选择其他文件夹。</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Stopping training…</source>
        <translation>正在停止训练…</translation>
    </message>
    <message>
        <source>Runs are not being kept: {problem}</source>
        <translation>运行不会被记录：{problem}</translation>
    </message>
</context>
<context>
    <name>MisclassifiedStrip</name>
    <message>
        <source>Misclassified validation images</source>
        <translation>误分类的验证图像</translation>
    </message>
    <message>
        <source>Samples, one per class</source>
        <translation>样本，每个类别一张</translation>
    </message>
    <message>
        <source>Misclassified validation images with their true and predicted class</source>
        <translation>被误分类的验证图像，附真实类别和预测类别</translation>
    </message>
    <message>
        <source>Thumbnails</source>
        <translation>缩略图</translation>
    </message>
    <message>
        <source>{title} — none yet</source>
        <translation>{title} — 暂无</translation>
    </message>
    <message>
        <source>true: {true}
predicted: {predicted}</source>
        <translation>真实：{true}
预测：{predicted}</translation>
    </message>
    <message>
        <source>first {shown} of {total}</source>
        <translation>共 {total} 张，显示前 {shown} 张</translation>
    </message>
    <message>
        <source> — &lt;span style=&apos;color:{green}&apos;&gt;true&lt;/span&gt; → &lt;span style=&apos;color:{orange}&apos;&gt;predicted&lt;/span&gt;</source>
        <translation> — &lt;span style=&apos;color:{green}&apos;&gt;真实&lt;/span&gt; → &lt;span style=&apos;color:{orange}&apos;&gt;预测&lt;/span&gt;</translation>
    </message>
    <message>
        <source>{title} ({count})</source>
        <translation>{title}（{count}）</translation>
    </message>
</context>
<context>
    <name>ModelDocument</name>
    <message>
        <source>Add {type}</source>
        <translation>添加 {type}</translation>
    </message>
    <message>
        <source>Delete {type}</source>
        <translation>删除 {type}</translation>
    </message>
    <message>
        <source>Duplicate {type}</source>
        <translation>复制 {type}</translation>
    </message>
    <message>
        <source>Add branch</source>
        <translation>添加分支</translation>
    </message>
    <message>
        <source>Remove branch {number}</source>
        <translation>删除分支 {number}</translation>
    </message>
    <message>
        <source>Set input {shape}</source>
        <translation>设置输入 {shape}</translation>
    </message>
    <message>
        <source>Vary {name}</source>
        <translation>变化 {name}</translation>
    </message>
    <message>
        <source>Stop varying {name}</source>
        <translation>停止变化 {name}</translation>
    </message>
    <message>
        <source>Set {type} settings</source>
        <translation>设置 {type} 参数</translation>
    </message>
    <message>
        <source>Set {type} {names}</source>
        <translation>设置 {type} {names}</translation>
    </message>
    <message>
        <source>Move {type} up</source>
        <translation>上移 {type}</translation>
    </message>
    <message>
        <source>Move {type} down</source>
        <translation>下移 {type}</translation>
    </message>
    <message>
        <source>Move {type} out of its block</source>
        <translation>将 {type} 移出所在块</translation>
    </message>
    <message>
        <source>Move {type} into a block</source>
        <translation>将 {type} 移入块</translation>
    </message>
    <message>
        <source>Move {type} to another branch</source>
        <translation>将 {type} 移到另一分支</translation>
    </message>
</context>
<context>
    <name>ModelQuality</name>
    <message>
        <source>Wait for the run to end, then calibrate the model it trained.</source>
        <translation>请等运行结束后，再校准它训练出的模型。</translation>
    </message>
    <message>
        <source>There is no trained model to calibrate: train one, or open a .cnnwb file.</source>
        <translation>没有可校准的已训练模型：请先训练一个，或打开一个 .cnnwb 文件。</translation>
    </message>
    <message>
        <source>The dataset has not loaded yet; wait for it, then calibrate.</source>
        <translation>数据集尚未加载完成；请等它加载后再校准。</translation>
    </message>
    <message>
        <source>The validation split is empty: calibration needs held-out images to fit the temperature on.</source>
        <translation>验证集为空：校准需要留出的图像来拟合温度。</translation>
    </message>
    <message>
        <source>Cannot calibrate: {problem}.</source>
        <translation>无法校准：{problem}。</translation>
    </message>
    <message>
        <source>Calibrated: temperature {temperature} fitted on {images} validation images; expected calibration error {before}% → {after}%. Probabilities are softmax(logits / T) everywhere; the logits and predictions stay.</source>
        <translation>已校准：在 {images} 张验证图像上拟合出温度 {temperature}；期望校准误差 {before}% → {after}%。各处的概率都为 softmax(logits / T)；logits 和预测保持不变。</translation>
    </message>
    <message>
        <source>This model cannot be evaluated on {dataset}: {problem}.</source>
        <translation>无法在 {dataset} 上评估此模型：{problem}。</translation>
    </message>
    <message>
        <source>{dataset} has no validation images to evaluate the model on.</source>
        <translation>{dataset} 没有可用于评估模型的验证图像。</translation>
    </message>
    <message>
        <source>Validation logits</source>
        <translation>验证集 logits</translation>
    </message>
    <message>
        <source>Cannot evaluate the model: {problem}</source>
        <translation>无法评估模型：{problem}</translation>
    </message>
    <message>
        <source>Evaluating the model on {count} validation images…</source>
        <translation>正在用 {count} 张验证图像评估模型…</translation>
    </message>
    <message>
        <source>Evaluated the model on {count} validation images</source>
        <translation>已用 {count} 张验证图像评估模型</translation>
    </message>
    <message>
        <source>Calibrating…</source>
        <translation>正在校准…</translation>
    </message>
    <message>
        <source>Fitting a temperature on {count} validation images…</source>
        <translation>正在 {count} 张验证图像上拟合温度…</translation>
    </message>
    <message>
        <source>The model changed while the temperature was being fitted; press Calibrate again.</source>
        <translation>拟合温度时模型发生了变化；请再按一次“校准”。</translation>
    </message>
    <message>
        <source>Cannot calibrate: {problem}</source>
        <translation>无法校准：{problem}</translation>
    </message>
</context>
<context>
    <name>ModelSummary</name>
    <message>
        <source>1×28×28 — MNIST, Fashion-MNIST, KMNIST, digits</source>
        <translation>1×28×28 — MNIST、Fashion-MNIST、KMNIST、手写数字</translation>
    </message>
    <message>
        <source>3×32×32 — CIFAR-10</source>
        <translation>3×32×32 — CIFAR-10</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>自定义…</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Multiply-adds per image</source>
        <translation>每张图像的乘加次数</translation>
    </message>
    <message>
        <source>Activation memory per image (forward)</source>
        <translation>每张图像的激活内存（前向）</translation>
    </message>
    <message>
        <source>Parameter memory</source>
        <translation>参数内存</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Latency, batch 1</source>
        <translation>延迟，批大小 1</translation>
    </message>
    <message>
        <source>Latency, batch {batch}</source>
        <translation>延迟，批大小 {batch}</translation>
    </message>
    <message>
        <source>Model file</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <source>Parameters and buffers</source>
        <translation>参数和缓冲区</translation>
    </message>
    <message>
        <source>Input channels</source>
        <translation>输入通道数</translation>
    </message>
    <message>
        <source>Input height</source>
        <translation>输入高度</translation>
    </message>
    <message>
        <source>Input width</source>
        <translation>输入宽度</translation>
    </message>
    <message>
        <source>Run this model (untrained weights) on random inputs here: latency per image at batch 1 and 64, the median of repeated runs after a warm-up, on the device and threads a training run would use; the size of its model file and the memory of its parameters</source>
        <translation>在本机上用随机输入运行这个模型（未训练的权重）：批大小为 1 和 64 时每张图像的延迟，取预热后多次运行的中位数，使用训练时会用的设备和线程；以及模型文件的大小和参数占用的内存</translation>
    </message>
    <message>
        <source>Model summary</source>
        <translation>模型概要</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <source>{what}, 1 to {most}</source>
        <translation>{what}，1 到 {most}</translation>
    </message>
    <message>
        <source>{name}:</source>
        <translation>{name}：</translation>
    </message>
    <message>
        <source>Shape of one input image: channels × height × width</source>
        <translation>一张输入图像的形状：通道 × 高 × 宽</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Measure on this machine</source>
        <translation>在本机上测量</translation>
    </message>
    <message>
        <source>Fix the model first: it cannot run</source>
        <translation>请先修正模型：它无法运行</translation>
    </message>
    <message>
        <source>Measuring: warming up…</source>
        <translation>测量中：预热…</translation>
    </message>
    <message>
        <source>Measuring: run {done} of at most {total}…</source>
        <translation>测量中：第 {done} 次运行，最多 {total} 次…</translation>
    </message>
    <message>
        <source>Measured on {device} · median of {count} run, untrained weights</source>
        <translation>测量于 {device} · {count} 次运行的中位数，未训练的权重</translation>
    </message>
    <message>
        <source>Measured on {device} · median of {count} runs, untrained weights</source>
        <translation>测量于 {device} · {count} 次运行的中位数，未训练的权重</translation>
    </message>
    <message>
        <source>{ms} ms per image</source>
        <translation>每张图像 {ms} ms</translation>
    </message>
    <message>
        <source>not measured ({why})</source>
        <translation>未测量（{why}）</translation>
    </message>
    <message>
        <source>{ms} ms per image ({batch} ms a batch)</source>
        <translation>每张图像 {ms} ms（每批次 {batch} ms）</translation>
    </message>
    <message>
        <source>Could not measure: {reason}</source>
        <translation>无法测量：{reason}</translation>
    </message>
    <message>
        <source>— (fix the error)</source>
        <translation>—（请修正错误）</translation>
    </message>
    <message>
        <source>{count} class</source>
        <translation>{count} 个类别</translation>
    </message>
    <message>
        <source>{count} classes</source>
        <translation>{count} 个类别</translation>
    </message>
</context>
<context>
    <name>MyDigitsDialog</name>
    <message>
        <source>No digits filed yet. When the model misreads a drawing, choose what it really is under “It&apos;s really a” and press File it; Teach then trains the model on them.</source>
        <translation>还没有归档的数字。模型认错一个绘图时，在“它其实是”中选择正确的数字并按“归档”；然后“教学”会用它们训练模型。</translation>
    </message>
    <message>
        <source>My digits</source>
        <translation>我的数字</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete this digit</source>
        <translation>删除这个数字</translation>
    </message>
    <message>
        <source>Remove this drawing from my digits</source>
        <translation>从“我的数字”中删除这张手写图像</translation>
    </message>
    <message>
        <source>&lt;b&gt;{count} digit(s) filed&lt;/b&gt;</source>
        <translation>&lt;b&gt;已归档 {count} 个数字&lt;/b&gt;</translation>
    </message>
    <message>
        <source> · the model reads {right} of {count} right now</source>
        <translation> · 模型现在认对 {count} 个中的 {right} 个</translation>
    </message>
    <message>
        <source> (before the last Teach: {right} of {count})</source>
        <translation>（上次教学前：{count} 个中的 {right} 个）</translation>
    </message>
    <message>
        <source>it&apos;s a &lt;b&gt;{name}&lt;/b&gt;</source>
        <translation>实际是 &lt;b&gt;{name}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>read as {name}</source>
        <translation>识别为 {name}</translation>
    </message>
    <message>
        <source>was {before} → now {after}</source>
        <translation>原为 {before} → 现为 {after}</translation>
    </message>
</context>
<context>
    <name>NumberGrid</name>
    <message>
        <source>row {row}, column {column}: {value} (padding)</source>
        <translation>第 {row} 行，第 {column} 列：{value}（填充）</translation>
    </message>
    <message>
        <source>row {row}, column {column}: {value}</source>
        <translation>第 {row} 行，第 {column} 列：{value}</translation>
    </message>
</context>
<context>
    <name>PaddingEditor</name>
    <message>
        <source>{name} mode</source>
        <translation>{name} 方式</translation>
    </message>
    <message>
        <source>number</source>
        <translation>数值</translation>
    </message>
</context>
<context>
    <name>PairEditor</name>
    <message>
        <source>■ square</source>
        <translation>■ 正方形</translation>
    </message>
    <message>
        <source>Linked: one number for a square window. Unlink to set height and width apart.</source>
        <translation>已关联：一个数表示正方形窗口。取消关联可分别设置高和宽。</translation>
    </message>
    <message>
        <source>by</source>
        <translation>乘</translation>
    </message>
    <message>
        <source>{name} height</source>
        <translation>{name} 高</translation>
    </message>
    <message>
        <source>{name} width</source>
        <translation>{name} 宽</translation>
    </message>
    <message>
        <source>{name} square</source>
        <translation>{name} 正方形</translation>
    </message>
</context>
<context>
    <name>PairSpin</name>
    <message>
        <source>height</source>
        <translation>高</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽</translation>
    </message>
    <message>
        <source>{name} ({axis})</source>
        <translation>{name}（{axis}）</translation>
    </message>
    <message>
        <source>{name} {axis}</source>
        <translation>{name} {axis}</translation>
    </message>
</context>
<context>
    <name>ParamEditor</name>
    <message>
        <source>None (= kernel_size)</source>
        <translation>不设（= kernel_size）</translation>
    </message>
    <message>
        <source>None (plain average)</source>
        <translation>不设（简单平均）</translation>
    </message>
    <message>
        <source>None (= window size)</source>
        <translation>不设（= 窗口大小）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>不设</translation>
    </message>
    <message>
        <source>{name}: type a number such as 0.001 or 1e-3</source>
        <translation>{name}：请输入一个数，例如 0.001 或 1e-3</translation>
    </message>
    <message>
        <source>{name}: None</source>
        <translation>{name}：不设</translation>
    </message>
</context>
<context>
    <name>ParamTexts</name>
    <message>
        <source>log-uniform</source>
        <translation>对数均匀</translation>
    </message>
    <message>
        <source>integers</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>均匀</translation>
    </message>
    <message>
        <source>{range} (one number, or height and width)</source>
        <translation>{range}（一个数，或高和宽）</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>{range}, or {choices}</source>
        <translation>{range}，或 {choices}</translation>
    </message>
    <message>
        <source>{range}, or None</source>
        <translation>{range}，或不设</translation>
    </message>
    <message>
        <source>Allowed: {allowed}.</source>
        <translation>允许的值：{allowed}。</translation>
    </message>
    <message>
        <source>Required: no default.</source>
        <translation>必填：没有默认值。</translation>
    </message>
    <message>
        <source>torch&apos;s default: {default}.</source>
        <translation>torch 的默认值：{default}。</translation>
    </message>
    <message>
        <source>{low} to {high} ({scale})</source>
        <translation>{low} 到 {high}（{scale}）</translation>
    </message>
</context>
<context>
    <name>ParameterPanel</name>
    <message>
        <source>Which varied value to plot the trials&apos; accuracy against</source>
        <translation>以哪个变化的值为横轴绘制试验的准确率</translation>
    </message>
    <message>
        <source>Varied value</source>
        <translation>变化的值</translation>
    </message>
</context>
<context>
    <name>PoolExplorer</name>
    <message>
        <source>Pooling explorer</source>
        <translation>池化演示</translation>
    </message>
    <message>
        <source>Max and average pooling worked out on a small input, window by window</source>
        <translation>在一个小输入上逐个窗口地演算最大池化和平均池化</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>输入尺寸</translation>
    </message>
    <message>
        <source>Height and width of the input</source>
        <translation>输入的高和宽</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>The example numbers in the input</source>
        <translation>输入中的示例数值</translation>
    </message>
    <message>
        <source>Round the output size up: a last, partial window is kept</source>
        <translation>输出尺寸向上取整：保留最后一个不完整的窗口</translation>
    </message>
    <message>
        <source>Average pooling: padded zeros count</source>
        <translation>平均池化：填充的 0 也计入</translation>
    </message>
    <message>
        <source>window size</source>
        <translation>窗口大小</translation>
    </message>
    <message>
        <source>Average pooling: divide by this instead</source>
        <translation>平均池化：改为除以这个数</translation>
    </message>
    <message>
        <source>New random numbers</source>
        <translation>换一组随机数</translation>
    </message>
    <message>
        <source>{name} (height × width)</source>
        <translation>{name}（高 × 宽）</translation>
    </message>
    <message>
        <source>Input (padded)</source>
        <translation>输入（已填充）</translation>
    </message>
    <message>
        <source>{grid} + ceil_mode overhang</source>
        <translation>{grid} + ceil_mode 超出部分</translation>
    </message>
    <message>
        <source>Output {rows}×{cols}</source>
        <translation>输出 {rows}×{cols}</translation>
    </message>
    <message>
        <source>Output: none</source>
        <translation>输出：无</translation>
    </message>
</context>
<context>
    <name>PredictFolderDialog</name>
    <message>
        <source>Predict every picture in a folder with the model at hand</source>
        <translation>用当前模型预测文件夹中的每张图片</translation>
    </message>
    <message>
        <source>Predict a folder</source>
        <translation>预测文件夹</translation>
    </message>
    <message>
        <source>Choose a folder of pictures ({suffixes}); sub-folders too</source>
        <translation>选择一个图片文件夹（{suffixes}），包括子文件夹</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>反色</translation>
    </message>
    <message>
        <source>Unsure below</source>
        <translation>不确定阈值</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测结果</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Files skipped</source>
        <translation>跳过的文件</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Choose a folder of pictures to predict</source>
        <translation>选择要预测的图片所在的文件夹</translation>
    </message>
    <message>
        <source>The folder whose pictures are predicted</source>
        <translation>被预测图片所在的文件夹</translation>
    </message>
    <message>
        <source>The model that predicts and how it reads the pictures</source>
        <translation>进行预测的模型及其读取图片的方式</translation>
    </message>
    <message>
        <source>Whether pictures are inverted before the model sees them</source>
        <translation>图片在交给模型前是否反色</translation>
    </message>
    <message>
        <source>auto: a mostly light picture (dark ink on a light page) is inverted for a greyscale model that learned light on dark, as Load image… does</source>
        <translation>自动：对于学的是黑底白字的灰度模型，以浅色为主的图片（浅色纸上的深色笔迹）会被反色，与“载入图像…”相同</translation>
    </message>
    <message>
        <source>Predictions less confident than this are marked unsure</source>
        <translation>置信度低于此值的预测标记为“不确定”</translation>
    </message>
    <message>
        <source>Unsure below </source>
        <translation>不确定阈值 </translation>
    </message>
    <message>
        <source>A prediction whose confidence is below this is marked unsure</source>
        <translation>置信度低于此值的预测会被标记为不确定</translation>
    </message>
    <message>
        <source>How many of the files found have been read</source>
        <translation>已找到的文件中有多少已读取</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop reading the folder</source>
        <translation>停止读取文件夹</translation>
    </message>
    <message>
        <source>How many pictures were predicted, unsure and skipped</source>
        <translation>已预测、不确定和已跳过的图片数量</translation>
    </message>
    <message>
        <source>Least confident first</source>
        <translation>置信度最低的在前</translation>
    </message>
    <message>
        <source>Sort the pictures by confidence, the least confident first</source>
        <translation>按置信度排序，置信度最低的在前</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Write the predictions as CSV (as the CLI&apos;s predict)</source>
        <translation>把预测结果写成 CSV（与命令行预测所写的相同）</translation>
    </message>
    <message>
        <source>The pictures with the predicted class and the confidence</source>
        <translation>图片及其预测类别和置信度</translation>
    </message>
    <message>
        <source>Skipped: none</source>
        <translation>已跳过：无</translation>
    </message>
    <message>
        <source>How many files could not be read</source>
        <translation>有多少文件无法读取</translation>
    </message>
    <message>
        <source>The files that could not be read, one line each</source>
        <translation>无法读取的文件，每行一个</translation>
    </message>
    <message>
        <source>Files that cannot be read are listed here, one line each</source>
        <translation>无法读取的文件列在这里，每行一个</translation>
    </message>
    <message>
        <source>The pictures above, the files skipped below</source>
        <translation>上方是图片，下方是跳过的文件</translation>
    </message>
    <message>
        <source>Close the dialog; a folder being read is let go of</source>
        <translation>关闭对话框；正在读取的文件夹将被放弃</translation>
    </message>
    <message>
        <source>&lt;b&gt;Model&lt;/b&gt;: {model} · pictures read {reading} · &lt;b&gt;untrained: its predictions are guesses&lt;/b&gt;</source>
        <translation>&lt;b&gt;模型&lt;/b&gt;：{model} · 图片读取方式：{reading} · &lt;b&gt;未训练：预测只是猜测&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Model&lt;/b&gt;: {model} · pictures read {reading}</source>
        <translation>&lt;b&gt;模型&lt;/b&gt;：{model} · 图片读取方式：{reading}</translation>
    </message>
    <message>
        <source>Predict the pictures in a folder</source>
        <translation>预测文件夹中的图片</translation>
    </message>
    <message>
        <source>Cannot predict pictures</source>
        <translation>无法预测图片</translation>
    </message>
    <message>
        <source>Looking for pictures…</source>
        <translation>正在查找图片…</translation>
    </message>
    <message>
        <source>Cancelled after {done} of {files}</source>
        <translation>已取消，已处理 {done} / {files}</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>No pictures found</source>
        <translation>未找到图片</translation>
    </message>
    <message>
        <source>Stopped: {reason}</source>
        <translation>已停止：{reason}</translation>
    </message>
    <message>
        <source>Skipped: {files}</source>
        <translation>已跳过：{files}</translation>
    </message>
    <message>
        <source>Export predictions</source>
        <translation>导出预测</translation>
    </message>
    <message>
        <source>Cannot export the predictions</source>
        <translation>无法导出预测结果</translation>
    </message>
    <message>
        <source>Invert: auto (dark ink on a light page)</source>
        <translation>反色：自动（浅色纸上的深色笔迹）</translation>
    </message>
    <message>
        <source>Invert: always</source>
        <translation>反色：总是</translation>
    </message>
    <message>
        <source>Invert: never</source>
        <translation>反色：从不</translation>
    </message>
    <message>
        <source>1 file</source>
        <translation>1 个文件</translation>
    </message>
    <message>
        <source>{count} files</source>
        <translation>{count} 个文件</translation>
    </message>
    <message>
        <source>{path}: {reason}</source>
        <translation>{path}：{reason}</translation>
    </message>
    <message>
        <source>greyscale {height}×{width}</source>
        <translation>灰度 {height}×{width}</translation>
    </message>
    <message>
        <source>RGB {height}×{width}</source>
        <translation>RGB {height}×{width}</translation>
    </message>
    <message>
        <source>{channels} channels {height}×{width}</source>
        <translation>{channels} 通道 {height}×{width}</translation>
    </message>
    <message>
        <source>as a drawing (MNIST preprocessing)</source>
        <translation>按绘图处理（MNIST 预处理）</translation>
    </message>
    <message>
        <source>resized (bilinear)</source>
        <translation>缩放（双线性）</translation>
    </message>
    <message>
        <source>always inverted</source>
        <translation>总是反色</translation>
    </message>
    <message>
        <source>never inverted</source>
        <translation>从不反色</translation>
    </message>
    <message>
        <source>inverted when mostly light</source>
        <translation>大部分为浅色时反色</translation>
    </message>
    <message>
        <source>not inverted</source>
        <translation>不反色</translation>
    </message>
    <message>
        <source>{colour}, {how}, {invert}</source>
        <translation>{colour}，{how}，{invert}</translation>
    </message>
    <message>
        <source>{done} of {files}</source>
        <translation>{done} / {files}</translation>
    </message>
    <message>
        <source>1 picture predicted ({unsure} unsure), {skipped} skipped</source>
        <translation>已预测 1 张图片（{unsure} 张不确定），跳过 {skipped}</translation>
    </message>
    <message>
        <source>{count} pictures predicted ({unsure} unsure), {skipped} skipped</source>
        <translation>已预测 {count} 张图片（{unsure} 张不确定），跳过 {skipped}</translation>
    </message>
    <message>
        <source>Wrote 1 row to {path}</source>
        <translation>已写入 1 行到 {path}</translation>
    </message>
    <message>
        <source>Wrote {count} rows to {path}</source>
        <translation>已写入 {count} 行到 {path}</translation>
    </message>
</context>
<context>
    <name>PredictionTable</name>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Unsure</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>Top classes</source>
        <translation>最可能的类别</translation>
    </message>
    <message>
        <source>&lt;br&gt;inverted: dark ink on a light page</source>
        <translation>&lt;br&gt;已反色：浅色纸上的深色笔迹</translation>
    </message>
    <message>
        <source>⚠ unsure</source>
        <translation>⚠ 不确定</translation>
    </message>
</context>
<context>
    <name>RealSources</name>
    <message>
        <source>No probe image yet: load a dataset on the Train tab (or pin a drawing from the Draw tab)</source>
        <translation>还没有探针图像：请在训练标签页加载数据集（或从绘制标签页固定一幅图）</translation>
    </message>
    <message>
        <source>{problem}.</source>
        <translation>{problem}。</translation>
    </message>
    <message>
        <source>The filters of {where} read {count} channels each; this explorer shows at most {most}.</source>
        <translation>{where} 的每个卷积核读取 {count} 个通道；此演示最多显示 {most} 个。</translation>
    </message>
    <message>
        <source>The probe has {count} channels; this explorer shows at most {most}.</source>
        <translation>探针图像有 {count} 个通道；此演示最多显示 {most} 个。</translation>
    </message>
    <message>
        <source>bias {value}</source>
        <translation>偏置 {value}</translation>
    </message>
    <message>
        <source>no bias</source>
        <translation>无偏置</translation>
    </message>
    <message>
        <source>filter {number} of {count} of {where}</source>
        <translation>{where} 的卷积核 {number}（共 {count} 个）</translation>
    </message>
    <message>
        <source>Kernel: {filter} ({model}), {bias}; kernel_size, stride, padding, dilation and padding_mode are the layer&apos;s own.</source>
        <translation>卷积核：{filter}（{model}），{bias}；kernel_size、stride、padding、dilation 和 padding_mode 均为该层自己的设置。</translation>
    </message>
    <message>
        <source> Its weights are still the random ones it starts with: train the model to see what it learns.</source>
        <translation>它的权重仍是初始的随机值：训练模型即可看到它学到了什么。</translation>
    </message>
    <message>
        <source>Input: the Train tab&apos;s probe image (a {name})</source>
        <translation>输入：训练标签页的探针图像（类别 {name}）</translation>
    </message>
    <message>
        <source>Input: the Train tab&apos;s probe image</source>
        <translation>输入：训练标签页的探针图像</translation>
    </message>
    <message>
        <source>, normalised as the model reads it: (x − {mean}) / {std}</source>
        <translation>，按模型读取的方式归一化：(x − {mean}) / {std}</translation>
    </message>
    <message>
        <source>, from 0 to 1 (no model to normalise it for)</source>
        <translation>，取值 0 到 1（没有模型，无需归一化）</translation>
    </message>
    <message>
        <source>, then through {layers} (the layers before {where})</source>
        <translation>，再经过 {layers}（{where} 之前的层）</translation>
    </message>
    <message>
        <source>.</source>
        <translation>。</translation>
    </message>
</context>
<context>
    <name>ReliabilityDiagram</name>
    <message>
        <source>Reliability diagram: accuracy against confidence, validation split</source>
        <translation>可靠性图：验证集上准确率随置信度的变化</translation>
    </message>
    <message>
        <source>Reliability diagram</source>
        <translation>可靠性图</translation>
    </message>
    <message>
        <source>Accuracy against confidence</source>
        <translation>准确率与置信度</translation>
    </message>
    <message>
        <source>Images per bin</source>
        <translation>每个区间的图像数</translation>
    </message>
    <message>
        <source>confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>images per bin</source>
        <translation>每区间图像数</translation>
    </message>
    <message>
        <source>confidence (top softmax probability)</source>
        <translation>置信度（softmax 最高概率）</translation>
    </message>
    <message>
        <source>ECE {ece}</source>
        <translation>ECE {ece}</translation>
    </message>
    <message>
        <source>ECE {before} → {after} with temperature {temperature}</source>
        <translation>ECE {before} → {after}（温度 {temperature}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Calibration&lt;/b&gt; · epoch {epoch} · {ece} · {count} validation images in {bins} bins of the top probability</source>
        <translation>&lt;b&gt;校准&lt;/b&gt; · 第 {epoch} 轮 · {ece} · {count} 张验证图像，按最高概率分为 {bins} 个区间</translation>
    </message>
    <message>
        <source>perfect calibration</source>
        <translation>完美校准</translation>
    </message>
    <message>
        <source>confidence {low}–{high}: no image</source>
        <translation>置信度 {low}–{high}：没有图像</translation>
    </message>
    <message>
        <source>confidence {low}–{high}: {count} images&lt;br&gt;mean confidence {confidence}, accuracy {accuracy}</source>
        <translation>置信度 {low}–{high}：{count} 张图像&lt;br&gt;平均置信度 {confidence}，准确率 {accuracy}</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Calibration — no epoch yet</source>
        <translation>校准 — 尚无轮次</translation>
    </message>
    <message>
        <source>The reliability diagram of the validation images appears after the first epoch, or when a trained model is opened</source>
        <translation>验证图像的可靠性图会在第一轮结束后或打开已训练的模型时显示</translation>
    </message>
    <message>
        <source>after, T = {temperature} (ECE {ece})</source>
        <translation>校准后，T = {temperature}（ECE {ece}）</translation>
    </message>
    <message>
        <source>before (ECE {ece})</source>
        <translation>校准前（ECE {ece}）</translation>
    </message>
    <message>
        <source>gap to mean confidence</source>
        <translation>与平均置信度的差距</translation>
    </message>
</context>
<context>
    <name>RunBox</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Save model…</source>
        <translation>保存模型…</translation>
    </message>
    <message>
        <source>Export logits…</source>
        <translation>导出 logits…</translation>
    </message>
    <message>
        <source>Training progress</source>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>Which test image to follow through every layer while training</source>
        <translation>训练时跟踪哪张测试图像经过每一层</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Probe test image #</source>
        <translation>探针测试图像 #</translation>
    </message>
</context>
<context>
    <name>RunControl</name>
    <message>
        <source>Cannot search for a learning rate</source>
        <translation>无法查找学习率</translation>
    </message>
    <message>
        <source>Cannot train</source>
        <translation>无法训练</translation>
    </message>
    <message>
        <source>the opened model</source>
        <translation>打开的模型</translation>
    </message>
    <message>
        <source>Cannot resume</source>
        <translation>无法继续</translation>
    </message>
    <message>
        <source>Resuming the last run after epoch {epoch}</source>
        <translation>从第 {epoch} 轮之后继续上次的运行</translation>
    </message>
    <message>
        <source>Starting the training process…</source>
        <translation>正在启动训练进程…</translation>
    </message>
    <message>
        <source>Cannot apply the change</source>
        <translation>无法应用此更改</translation>
    </message>
</context>
<context>
    <name>RunEvents</name>
    <message>
        <source>Training on {device}: {images} images, {parameters} parameters</source>
        <translation>正在 {device} 上训练：{images} 张图像，{parameters} 个参数</translation>
    </message>
    <message>
        <source>epoch {epoch} · {batch}/{batches}</source>
        <translation>第 {epoch} 轮 · {batch}/{batches}</translation>
    </message>
    <message>
        <source>{speed} images/s · loss {loss} · ETA {time}</source>
        <translation>{speed} 张/秒 · 损失 {loss} · 剩余 {time}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Stopped&lt;/b&gt; at step {step}; the model keeps the weights it had.</source>
        <translation>&lt;b&gt;已停止&lt;/b&gt;于第 {step} 步；模型保留当时的权重。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Training failed:&lt;/b&gt; {reason}</source>
        <translation>&lt;b&gt;训练失败：&lt;/b&gt;{reason}</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>&lt;b&gt;Finished&lt;/b&gt; ({reason}). Test accuracy {accuracy}</source>
        <translation>&lt;b&gt;已完成&lt;/b&gt;（{reason}）。测试准确率 {accuracy}</translation>
    </message>
    <message>
        <source>validation {accuracy}%</source>
        <translation>验证集 {accuracy}%</translation>
    </message>
    <message>
        <source>{seconds} s · {speed} images/s</source>
        <translation>{seconds} s · {speed} 张/秒</translation>
    </message>
    <message>
        <source>on {device}</source>
        <translation>设备：{device}</translation>
    </message>
</context>
<context>
    <name>RunKeeping</name>
    <message>
        <source>This run is not kept in the run store: {problem}</source>
        <translation>此次运行未保存到运行记录库：{problem}</translation>
    </message>
    <message>
        <source>The run&apos;s model could not be kept in the run store: {problem}</source>
        <translation>无法把此次运行的模型保存到运行记录库：{problem}</translation>
    </message>
</context>
<context>
    <name>RunOverlay</name>
    <message>
        <source>by step</source>
        <translation>按步数</translation>
    </message>
    <message>
        <source>by epoch</source>
        <translation>按轮次</translation>
    </message>
    <message>
        <source>by seconds</source>
        <translation>按秒数</translation>
    </message>
    <message>
        <source>step (batches)</source>
        <translation>步数（批次）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>seconds of training</source>
        <translation>训练秒数</translation>
    </message>
    <message>
        <source>training loss (smoothed)</source>
        <translation>训练损失（平滑）</translation>
    </message>
    <message>
        <source>validation accuracy (%)</source>
        <translation>验证准确率 (%)</translation>
    </message>
    <message>
        <source>Select runs in the table to overlay their curves (Ctrl+click for several).</source>
        <translation>在表格中选择运行以叠加它们的曲线（Ctrl+点击可多选）。</translation>
    </message>
</context>
<context>
    <name>RunTableModel</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>已丢失</translation>
    </message>
    <message>
        <source>trained in the app</source>
        <translation>在本应用中训练</translation>
    </message>
    <message>
        <source>trained from the command line</source>
        <translation>从命令行训练</translation>
    </message>
    <message>
        <source>a trial of an experiment</source>
        <translation>实验中的一次试验</translation>
    </message>
    <message>
        <source>{outcome} ({reason})</source>
        <translation>{outcome}（{reason}）</translation>
    </message>
    <message>
        <source>{model}: {count} layers</source>
        <translation>{model}：{count} 层</translation>
    </message>
    <message>
        <source>{count} layers</source>
        <translation>{count} 层</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Best val</source>
        <translation>最佳验证</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Images/s</source>
        <translation>图像/秒</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>The best validation accuracy of the run&apos;s epochs</source>
        <translation>该运行各轮中最高的验证准确率</translation>
    </message>
    <message>
        <source>The test accuracy at the end of the run</source>
        <translation>运行结束时的测试准确率</translation>
    </message>
    <message>
        <source>Training images per second</source>
        <translation>每秒训练的图像数</translation>
    </message>
    <message>
        <source>Run {id} ({source}); double-click to rename</source>
        <translation>运行 {id}（{source}）；双击可重命名</translation>
    </message>
</context>
<context>
    <name>RunsView</name>
    <message>
        <source>Filter: name, model, dataset, device, outcome…</source>
        <translation>筛选：名称、模型、数据集、设备、结果…</translation>
    </message>
    <message>
        <source>Filter the runs</source>
        <translation>筛选运行</translation>
    </message>
    <message>
        <source>The x axis of the overlaid curves</source>
        <translation>叠加曲线的 x 轴</translation>
    </message>
    <message>
        <source>Curves&apos; x axis</source>
        <translation>曲线的 x 轴</translation>
    </message>
    <message>
        <source>Curves:</source>
        <translation>曲线：</translation>
    </message>
    <message>
        <source>Diff architectures</source>
        <translation>对比架构</translation>
    </message>
    <message>
        <source>Layer by layer, what differs between two runs&apos; models</source>
        <translation>逐层比较两次运行的模型有何不同</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open the run&apos;s trained model in Build, Train and Draw</source>
        <translation>在“构建”“训练”“绘制”页打开该运行训练好的模型</translation>
    </message>
    <message>
        <source>Continue training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Open the run&apos;s model and train it for the Train tab&apos;s epochs more</source>
        <translation>打开该运行的模型，按“训练”页设置的轮数继续训练</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Forget the selected runs and delete their model files</source>
        <translation>移除所选运行的记录并删除其模型文件</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>The selected runs&apos; figures as a CSV file</source>
        <translation>将所选运行的数据导出为 CSV 文件</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export for TensorBoard…</source>
        <translation>导出到 TensorBoard…</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>{count} runs kept in {path}</source>
        <translation>{path} 中保存了 {count} 次运行</translation>
    </message>
    <message>
        <source>Cannot compare</source>
        <translation>无法比较</translation>
    </message>
    <message>
        <source>One of these runs has no readable model spec.</source>
        <translation>其中一个运行没有可读取的模型定义。</translation>
    </message>
    <message>
        <source>A run still training cannot be deleted; stop it first.</source>
        <translation>仍在训练的运行无法删除；请先停止它。</translation>
    </message>
    <message>
        <source>Delete 1 run and its model and checkpoint files?</source>
        <translation>删除 1 次运行及其模型和检查点文件？</translation>
    </message>
    <message>
        <source>Delete {count} runs and their model and checkpoint files?</source>
        <translation>删除 {count} 次运行及其模型和检查点文件？</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Some files were not deleted</source>
        <translation>有些文件未能删除</translation>
    </message>
    <message>
        <source>Deleted 1 run</source>
        <translation>已删除 1 次运行</translation>
    </message>
    <message>
        <source>Deleted {count} runs</source>
        <translation>已删除 {count} 次运行</translation>
    </message>
    <message>
        <source>Export runs</source>
        <translation>导出运行</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Exported {count} runs to {path}</source>
        <translation>已将 {count} 次运行导出到 {path}</translation>
    </message>
    <message>
        <source>TensorBoard log folder</source>
        <translation>TensorBoard 日志文件夹</translation>
    </message>
    <message>
        <source>TensorBoard is not installed</source>
        <translation>未安装 TensorBoard</translation>
    </message>
    <message>
        <source>Wrote {count} runs for TensorBoard: tensorboard --logdir {folder}</source>
        <translation>已为 TensorBoard 写入 {count} 次运行：tensorboard --logdir {folder}</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <source>mixed precision (CUDA)</source>
        <translation>混合精度（CUDA）</translation>
    </message>
    <message>
        <source>bfloat16 autocast on CUDA (float16 where bf16 is missing); none on CPU</source>
        <translation>在 CUDA 上使用 bfloat16 自动混合精度（不支持 bf16 时用 float16）；CPU 上不使用</translation>
    </message>
    <message>
        <source>compile (torch.compile)</source>
        <translation>编译（torch.compile）</translation>
    </message>
    <message>
        <source>Compile the model before training (torch.compile); the run says so if it cannot</source>
        <translation>训练前编译模型（torch.compile）；无法编译时运行会给出说明</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Until val acc</source>
        <translation>目标验证准确率</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>早停</translation>
    </message>
    <message>
        <source>How weights are updated from gradients</source>
        <translation>如何根据梯度更新权重</translation>
    </message>
    <message>
        <source>Learning rate (the peak rate for one-cycle)</source>
        <translation>学习率（单周期调度时为峰值学习率）</translation>
    </message>
    <message>
        <source>Images per optimisation step</source>
        <translation>每个优化步使用的图像数</translation>
    </message>
    <message>
        <source>Passes over the training images</source>
        <translation>遍历训练图像的次数</translation>
    </message>
    <message>
        <source>How the learning rate changes during the run</source>
        <translation>运行期间学习率如何变化</translation>
    </message>
    <message>
        <source>L2 penalty on the weights</source>
        <translation>权重的 L2 惩罚</translation>
    </message>
    <message>
        <source>Momentum for SGD and RMSprop</source>
        <translation>SGD 和 RMSprop 的动量</translation>
    </message>
    <message>
        <source>Same seed, same run: initial weights, shuffling</source>
        <translation>相同的随机种子，相同的运行：初始权重、数据打乱</translation>
    </message>
    <message>
        <source>Soften the one-hot targets: 0.1 often trains faster and steadier</source>
        <translation>软化独热目标：取 0.1 通常训练得更快更稳</translation>
    </message>
    <message>
        <source>End the run as soon as the validation accuracy reaches this</source>
        <translation>验证准确率一达到此值就结束运行</translation>
    </message>
    <message>
        <source>End the run after this many seconds of training</source>
        <translation>训练这么多秒后结束运行</translation>
    </message>
    <message>
        <source>End when the validation accuracy has not improved for this many epochs</source>
        <translation>验证准确率连续这么多轮没有提高时结束</translation>
    </message>
    <message>
        <source>Auto picks the GPU when there is one. With several GPUs, &quot;all GPUs&quot; trains one process per GPU through torchrun (DistributedDataParallel); the panels follow the first</source>
        <translation>“自动”在有 GPU 时使用 GPU。有多块 GPU 时，“全部 GPU”会通过 torchrun 为每块 GPU 启动一个进程（DistributedDataParallel）；面板显示第一个进程</translation>
    </message>
    <message>
        <source>none</source>
        <translation>不调整</translation>
    </message>
    <message>
        <source>step</source>
        <translation>阶梯衰减</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦退火</translation>
    </message>
    <message>
        <source>one-cycle</source>
        <translation>单周期 OneCycle</translation>
    </message>
    <message>
        <source>augment (shift, rotate)</source>
        <translation>数据增强（平移、旋转）</translation>
    </message>
    <message>
        <source>Find learning rate…</source>
        <translation>寻找学习率…</translation>
    </message>
    <message>
        <source>all GPUs ({count})</source>
        <translation>全部 GPU（{count}）</translation>
    </message>
    <message>
        <source>CPU × {count} processes</source>
        <translation>CPU × {count} 个进程</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>cpu</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>cuda</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>Try rates from tiny to huge on a few batches and propose one (Smith&apos;s range test)</source>
        <translation>在几个批次上从极小到极大尝试学习率，并给出建议（Smith 范围测试）</translation>
    </message>
</context>
<context>
    <name>SoftmaxChart</name>
    <message>
        <source>Softmax probabilities (or logits) of the probe image, one bar per class</source>
        <translation>探针图像的 softmax 概率（或 logits），每个类别一根柱条</translation>
    </message>
    <message>
        <source>Softmax chart</source>
        <translation>softmax 图</translation>
    </message>
    <message>
        <source>One bar per class</source>
        <translation>每个类别一根柱</translation>
    </message>
    <message>
        <source>no probe yet</source>
        <translation>尚无探针图像</translation>
    </message>
    <message>
        <source>Predicted class: coloured bar (green right, orange wrong). True class: outlined bar, shaded column.</source>
        <translation>预测类别：彩色柱条（绿色为正确，橙色为错误）。真实类别：描边柱条、阴影列。</translation>
    </message>
    <message>
        <source>Show logits</source>
        <translation>显示 logits</translation>
    </message>
    <message>
        <source>Show the raw logits (before softmax) instead of probabilities</source>
        <translation>显示原始 logits（softmax 之前），而不是概率</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>logits</translation>
    </message>
    <message>
        <source>predicted &lt;b style=&apos;color:{colour}&apos;&gt;{name}&lt;/b&gt; {percent}%</source>
        <translation>预测 &lt;b style=&apos;color:{colour}&apos;&gt;{name}&lt;/b&gt; {percent}%</translation>
    </message>
    <message>
        <source>predicted &lt;b style=&apos;color:{colour}&apos;&gt;{name}&lt;/b&gt; {percent}% · true &lt;b&gt;{true}&lt;/b&gt;</source>
        <translation>预测 &lt;b style=&apos;color:{colour}&apos;&gt;{name}&lt;/b&gt; {percent}% · 真实 &lt;b&gt;{true}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{name}: p = {probability} · logit = {logit}</source>
        <translation>{name}：概率 = {probability} · logits = {logit}</translation>
    </message>
</context>
<context>
    <name>SoftmaxExplorer</name>
    <message>
        <source>Edit logits and see softmax probabilities and the cross-entropy loss</source>
        <translation>编辑 logits，查看 softmax 概率和交叉熵损失</translation>
    </message>
    <message>
        <source>number of classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Divide the logits by T: below 1 sharpens, above 1 flattens the probabilities</source>
        <translation>把 logits 除以 T：小于 1 使概率更尖锐，大于 1 使概率更平缓</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Logits z (the outputs of the last Linear layer)</source>
        <translation>logits z（最后一个全连接层 Linear 的输出）</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>Temperature T</source>
        <translation>温度 T</translation>
    </message>
    <message>
        <source>Why the app exports logits, not probabilities</source>
        <translation>为什么本程序导出 logits 而不是概率</translation>
    </message>
    <message>
        <source>What “97% confident” means</source>
        <translation>“97% 的置信度”是什么意思</translation>
    </message>
    <message>
        <source>Show my model&apos;s calibration (Train tab)</source>
        <translation>查看我的模型的校准情况（训练页）</translation>
    </message>
    <message>
        <source>Open the Train tab&apos;s Calibration panel</source>
        <translation>打开训练页的校准面板</translation>
    </message>
    <message>
        <source>The reliability diagram and expected calibration error of the model at hand, and Calibrate</source>
        <translation>当前模型的可靠性图和期望校准误差，以及“校准”</translation>
    </message>
    <message>
        <source>class {number}</source>
        <translation>类别 {number}</translation>
    </message>
    <message>
        <source>Cross-entropy loss = logsumexp(z / T) − z[{true}] / T = {logsumexp} − {scaled} = {loss}   (= −log p[{true}] = −log {probability})</source>
        <translation>交叉熵损失 = logsumexp(z / T) − z[{true}] / T = {logsumexp} − {scaled} = {loss}   (= −log p[{true}] = −log {probability})</translation>
    </message>
</context>
<context>
    <name>StudyForm</name>
    <message>
        <source>letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</source>
        <translation>字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;</translation>
    </message>
    <message>
        <source>The study&apos;s name. Start begins a new study; Resume goes on with the stopped study of this name</source>
        <translation>研究的名称。“开始”新建一项研究；“继续”接着进行同名的已停止研究</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Grid: every combination</source>
        <translation>网格：所有组合</translation>
    </message>
    <message>
        <source>TPE: learns where to look</source>
        <translation>TPE：学习往哪里搜索</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Median: end trials behind it</source>
        <translation>中位数：提前结束低于中位数的试验</translation>
    </message>
    <message>
        <source>Successive halving</source>
        <translation>逐次减半</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <source>The study&apos;s name</source>
        <translation>研究名称</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <source>How each trial&apos;s values are picked; grid needs every mark to be a list</source>
        <translation>每次试验的取值方式；网格要求每个标记都是列表</translation>
    </message>
    <message>
        <source>How values are picked</source>
        <translation>取值方式</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>试验次数</translation>
    </message>
    <message>
        <source>Trials to run (a grid: at most its size)</source>
        <translation>要运行的试验次数（网格：最多为其大小）</translation>
    </message>
    <message>
        <source>Trial budget</source>
        <translation>试验次数预算</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>分钟数</translation>
    </message>
    <message>
        <source>Minutes of running trials; the study stops starting trials after that</source>
        <translation>试验运行的分钟数；超过后研究不再开始新的试验</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Seeds each</source>
        <translation>每配置种子数</translation>
    </message>
    <message>
        <source>Each configuration trains with this many seeds; its score is their mean</source>
        <translation>每个配置用这么多个随机种子训练；其分数取平均值</translation>
    </message>
    <message>
        <source>Seeds per configuration</source>
        <translation>每个配置的随机种子数</translation>
    </message>
    <message>
        <source>Pruner</source>
        <translation>剪枝器</translation>
    </message>
    <message>
        <source>End trials early that fall behind the others at the same point</source>
        <translation>提前结束在同一进度落后于其他试验的试验</translation>
    </message>
    <message>
        <source>At once</source>
        <translation>同时运行</translation>
    </message>
    <message>
        <source>Trials at once, each a process with its share of the cores</source>
        <translation>同时运行的试验数，每个试验是一个进程，分得一部分 CPU 核心</translation>
    </message>
    <message>
        <source>Trials at once</source>
        <translation>同时运行的试验数</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>Training and validation images per trial (fewer: faster)</source>
        <translation>每次试验的训练和验证图像数（越少越快）</translation>
    </message>
    <message>
        <source>Images per trial</source>
        <translation>每次试验的图像数</translation>
    </message>
    <message>
        <source>{threads} torch threads each</source>
        <translation>每个 {threads} 个 torch 线程</translation>
    </message>
    <message>
        <source>{threads} torch thread each</source>
        <translation>每个 {threads} 个 torch 线程</translation>
    </message>
    <message>
        <source>grid of {size} configurations</source>
        <translation>网格共 {size} 种配置</translation>
    </message>
</context>
<context>
    <name>StudyPanel</name>
    <message>
        <source>val accuracy (%)</source>
        <translation>验证准确率 (%)</translation>
    </message>
    <message>
        <source>Appears when trials have finished.</source>
        <translation>试验完成后显示。</translation>
    </message>
    <message>
        <source>Best so far</source>
        <translation>目前最佳</translation>
    </message>
    <message>
        <source>trial</source>
        <translation>试验</translation>
    </message>
    <message>
        <source>Accuracy against</source>
        <translation>准确率对比</translation>
    </message>
    <message>
        <source>value</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Accuracy against model size</source>
        <translation>准确率与模型大小</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数数量</translation>
    </message>
    <message>
        <source>Parameter importance</source>
        <translation>超参数重要性</translation>
    </message>
    <message>
        <source>share of the accuracy&apos;s variance</source>
        <translation>占准确率方差的比例</translation>
    </message>
    <message>
        <source>Appears when two finished trials differ.</source>
        <translation>有两次已完成的试验取值不同后显示。</translation>
    </message>
</context>
<context>
    <name>StudyPoller</name>
    <message>
        <source>Cannot read the study: {problem}</source>
        <translation>无法读取研究：{problem}</translation>
    </message>
</context>
<context>
    <name>StudyRun</name>
    <message>
        <source>cannot start the workers: {problem}</source>
        <translation>无法启动工作进程：{problem}</translation>
    </message>
</context>
<context>
    <name>TeachPanel</name>
    <message>
        <source>Train a model first (Train tab) or open a trained one: Teach corrects a trained model</source>
        <translation>请先训练模型（“训练”页）或打开一个已训练的模型：教学只能修正已训练的模型</translation>
    </message>
    <message>
        <source>Stop the training run first: Teach changes the weights the run is training</source>
        <translation>请先停止训练运行：教学会改变该运行正在训练的权重</translation>
    </message>
    <message>
        <source>My digits: {problems}</source>
        <translation>我的数字：{problems}</translation>
    </message>
    <message>
        <source>Correct and teach</source>
        <translation>纠正与教学</translation>
    </message>
    <message>
        <source>Teaching progress</source>
        <translation>教学进度</translation>
    </message>
    <message>
        <source>Teach result</source>
        <translation>教学结果</translation>
    </message>
    <message>
        <source>What the drawing really is</source>
        <translation>这个手写图像实际是什么</translation>
    </message>
    <message>
        <source>File it</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Keep the drawing with this label in my digits</source>
        <translation>把这个手写图像连同此标签保存到“我的数字”</translation>
    </message>
    <message>
        <source>My digits…</source>
        <translation>我的数字…</translation>
    </message>
    <message>
        <source>See, and delete, the digits filed</source>
        <translation>查看和删除已归档的数字</translation>
    </message>
    <message>
        <source>Teach</source>
        <translation>教学</translation>
    </message>
    <message>
        <source>Fine-tune the model on my digits, mixed with its own training data</source>
        <translation>用“我的数字”混合模型自己的训练数据来微调模型</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop teaching: keep the weights reached so far</source>
        <translation>停止教学：保留目前得到的权重</translation>
    </message>
    <message>
        <source>Undo teach</source>
        <translation>撤销教学</translation>
    </message>
    <message>
        <source>Back to the model before the last Teach</source>
        <translation>回到最近一次教学之前的模型</translation>
    </message>
    <message>
        <source>It&apos;s really a</source>
        <translation>它其实是</translation>
    </message>
    <message>
        <source>My digits ({count})…</source>
        <translation>我的数字（{count}）…</translation>
    </message>
    <message>
        <source>File at least one drawing first: choose what it really is, then File it</source>
        <translation>请先至少归档一个绘图：选择它实际是什么，再点“归档”</translation>
    </message>
    <message>
        <source>Draw a digit first, then say what it really is</source>
        <translation>请先写一个数字，再说明它实际是什么</translation>
    </message>
    <message>
        <source>Filed as {label}: {count} digit(s) in my digits</source>
        <translation>已归档为 {label}：“我的数字”中共 {count} 个数字</translation>
    </message>
    <message>
        <source>Loading the training data (Teach mixes it in)…</source>
        <translation>正在加载训练数据（教学时会混入）…</translation>
    </message>
    <message>
        <source>Starting the teaching process…</source>
        <translation>正在启动教学进程…</translation>
    </message>
    <message>
        <source>The training data could not be loaded: see the Train tab</source>
        <translation>无法加载训练数据：请查看“训练”页</translation>
    </message>
    <message>
        <source>The model was trained on {trained}, the Train tab has {loaded} loaded: choose {trained} there, then Teach</source>
        <translation>模型是在 {trained} 上训练的，而“训练”页加载的是 {loaded}：请在那里选择 {trained}，再进行教学</translation>
    </message>
    <message>
        <source>step {step}/{steps} · loss {loss}</source>
        <translation>第 {step}/{steps} 步 · 损失 {loss}</translation>
    </message>
    <message>
        <source>Teach failed: {reason}. The model is unchanged.</source>
        <translation>教学失败：{reason}。模型未改变。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>&lt;b&gt;Taught&lt;/b&gt;: {summary}</source>
        <translation>&lt;b&gt;教学完成&lt;/b&gt;：{summary}</translation>
    </message>
    <message>
        <source>A training run started meanwhile: the Teach was not applied</source>
        <translation>期间开始了一次训练运行：本次教学未应用</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Teach undone: the model is back to the weights it had before.</source>
        <translation>已撤销教学：模型恢复到之前的权重。</translation>
    </message>
    <message>
        <source>Teach undone</source>
        <translation>已撤销教学</translation>
    </message>
    <message>
        <source>{right} of {count} of your digits read right (before: {before}), {steps} steps in {seconds} s (stopped early)</source>
        <translation>你的 {count} 个数字中认对 {right} 个（之前：{before} 个），{steps} 步，用时 {seconds} s（提前停止）</translation>
    </message>
    <message>
        <source>{right} of {count} of your digits read right (before: {before}), {steps} steps in {seconds} s</source>
        <translation>你的 {count} 个数字中认对 {right} 个（之前：{before} 个），{steps} 步，用时 {seconds} s</translation>
    </message>
</context>
<context>
    <name>Templates</name>
    <message>
        <source>mnist-classic</source>
        <translation>mnist-classic</translation>
    </message>
    <message>
        <source>98.3% (98.2–98.5% over 3 seeds) after 1 epoch, 6 s on 2 CPU cores</source>
        <translation>1 轮后 98.3%（3 个随机种子：98.2–98.5%），2 个 CPU 核心上 6 s</translation>
    </message>
    <message>
        <source>The classic PyTorch MNIST example: two 5×5 convolutions, max pooling, two Linear layers.</source>
        <translation>经典的 PyTorch MNIST 示例：两个 5×5 卷积层、最大池化、两个全连接层 Linear。</translation>
    </message>
    <message>
        <source>The PyTorch examples repository&apos;s mnist/main.py in its original form (10 and 20 channels; the example now has a larger network), without its two dropout layers; there it trained 10 epochs of SGD.</source>
        <translation>PyTorch 示例仓库中 mnist/main.py 的原始版本（10 和 20 个通道；该示例现在的网络更大），去掉了其中两个 Dropout 层；原示例用 SGD 训练 10 轮。</translation>
    </message>
    <message>
        <source>mnist-fast</source>
        <translation>mnist-fast</translation>
    </message>
    <message>
        <source>99.2% (99.2–99.3% over 3 seeds) after 1 epoch, 15 s on 2 CPU cores</source>
        <translation>1 轮后 99.2%（3 个随机种子：99.2–99.3%），2 个 CPU 核心上 15 s</translation>
    </message>
    <message>
        <source>Four small 3×3 conv-BN-ReLU blocks and global max pooling: 99% on MNIST in one quick epoch.</source>
        <translation>四个小型 3×3 卷积-批归一化-ReLU 块加全局最大池化：快速训练 1 轮即在 MNIST 上达到 99%。</translation>
    </message>
    <message>
        <source>This app&apos;s own design: VGG-style 3×3 conv-BN-ReLU stacks (Simonyan &amp; Zisserman 2015; BatchNorm: Ioffe &amp; Szegedy 2015) with global max pooling, sized for one fast MNIST epoch; no published figure.</source>
        <translation>本应用自己的设计：VGG 风格的 3×3 卷积-批归一化-ReLU 堆叠（Simonyan &amp; Zisserman 2015；批归一化：Ioffe &amp; Szegedy 2015）加全局最大池化，规模适合快速训练 1 轮 MNIST；无公开数据可对照。</translation>
    </message>
    <message>
        <source>lenet5</source>
        <translation>lenet5</translation>
    </message>
    <message>
        <source>97.6% (97.3–97.7% over 3 seeds) after 1 epoch, 5 s on 2 CPU cores</source>
        <translation>1 轮后 97.6%（3 个随机种子：97.3–97.7%），2 个 CPU 核心上 5 s</translation>
    </message>
    <message>
        <source>LeCun&apos;s LeNet-5 (1998) with Tanh and average pooling, padded for 28×28 digits.</source>
        <translation>LeCun 的 LeNet-5（1998），使用 Tanh 和平均池化，加了填充以适应 28×28 的数字。</translation>
    </message>
    <message>
        <source>LeCun et al. 1998, &quot;Gradient-based learning applied to document recognition&quot;: LeNet-5, 0.95% test error on MNIST with its own training. Ours keeps its layer sizes but uses plain Tanh and plain average pooling (no trained scale), connects C3 fully, ends in a Linear layer with cross-entropy instead of RBF units, and trains 1 epoch with Adam.</source>
        <translation>LeCun 等 1998，“Gradient-based learning applied to document recognition”：LeNet-5 用原文的训练方法在 MNIST 上测试错误率 0.95%。本模板保留其各层大小，但使用普通 Tanh 和普通平均池化（无可训练的缩放），C3 全连接，以全连接层 Linear 加交叉熵代替 RBF 单元结尾，并用 Adam 训练 1 轮。</translation>
    </message>
    <message>
        <source>mnist-bn</source>
        <translation>mnist-bn</translation>
    </message>
    <message>
        <source>99.2% (99.1–99.3% over 3 seeds) after 2 epochs, 52 s on 2 CPU cores</source>
        <translation>2 轮后 99.2%（3 个随机种子：99.1–99.3%），2 个 CPU 核心上 52 s</translation>
    </message>
    <message>
        <source>A wider BatchNorm CNN (conv-BN-ReLU blocks, a BatchNorm1d head) with 420k parameters.</source>
        <translation>更宽的批归一化 CNN（卷积-批归一化-ReLU 块，BatchNorm1d 输出头），共 42 万个参数。</translation>
    </message>
    <message>
        <source>This app&apos;s own design, the common two-block CNN with BatchNorm (Ioffe &amp; Szegedy 2015) and a dropout head; no published figure.</source>
        <translation>本应用自己的设计：常见的两块批归一化 CNN（Ioffe &amp; Szegedy 2015），输出头带 Dropout；无公开数据可对照。</translation>
    </message>
    <message>
        <source>vgg-mini</source>
        <translation>vgg-mini</translation>
    </message>
    <message>
        <source>56 s per CIFAR-10 epoch on 2 CPU cores (10 epochs); accuracy not measured here</source>
        <translation>2 个 CPU 核心上 CIFAR-10 每轮 56 s（共 10 轮）；此处未测准确率</translation>
    </message>
    <message>
        <source>A small VGG-style net of 3×3 conv-BN-ReLU blocks for 3×32×32 colour images (CIFAR-10).</source>
        <translation>由 3×3 卷积-批归一化-ReLU 块组成的小型 VGG 风格网络，用于 3×32×32 彩色图像（CIFAR-10）。</translation>
    </message>
    <message>
        <source>After VGG (Simonyan &amp; Zisserman 2015, &quot;Very deep convolutional networks for large-scale image recognition&quot;): 3×3 convolutions in pairs between max pooling, here with BatchNorm and far fewer channels; the paper gives ImageNet figures and none for CIFAR-10.</source>
        <translation>仿照 VGG（Simonyan &amp; Zisserman 2015，“Very deep convolutional networks for large-scale image recognition”）：在最大池化之间成对使用 3×3 卷积，这里加了批归一化，通道数也少得多；论文只给出 ImageNet 的数据，没有 CIFAR-10 的。</translation>
    </message>
    <message>
        <source>mlp</source>
        <translation>mlp</translation>
    </message>
    <message>
        <source>97.0% (96.9–97.0% over 3 seeds) after 1 epoch, 2 s on 2 CPU cores</source>
        <translation>1 轮后 97.0%（3 个随机种子：96.9–97.0%），2 个 CPU 核心上 2 s</translation>
    </message>
    <message>
        <source>A baseline without convolutions: Flatten and three Linear layers.</source>
        <translation>不含卷积的基线：Flatten 加三个全连接层 Linear。</translation>
    </message>
    <message>
        <source>This app&apos;s own baseline: LeCun et al. 1998 report fully connected nets of this kind (two hidden layers, e.g. 300 and 100 units) at about 3% test error on MNIST.</source>
        <translation>本应用自己的基线：LeCun 等 1998 报告这类全连接网络（两个隐藏层，例如 300 和 100 个单元）在 MNIST 上测试错误率约 3%。</translation>
    </message>
    <message>
        <source>resnet-mini</source>
        <translation>resnet-mini</translation>
    </message>
    <message>
        <source>99.5% (99.49–99.51% over 3 seeds) after 3 epochs, 137 s on 2 CPU cores</source>
        <translation>3 轮后 99.5%（3 个随机种子：99.49–99.51%），2 个 CPU 核心上 137 s</translation>
    </message>
    <message>
        <source>A small ResNet: a 3×3 stem and three Residual blocks (16, 32, 64 channels), global average pooling. Any input size.</source>
        <translation>小型 ResNet：一个 3×3 主干层和三个残差块（16、32、64 个通道），全局平均池化。适用任意输入大小。</translation>
    </message>
    <message>
        <source>He et al. 2016, &quot;Deep residual learning for image recognition&quot;: the paper&apos;s CIFAR-10 ResNet (16/32/64 channels, global average pooling) with one basic block per stage (8 weighted layers), 1×1 projections where the paper used zero-padded shortcuts; its smallest, ResNet-20, reached 8.75% test error on CIFAR-10.</source>
        <translation>He 等 2016，“Deep residual learning for image recognition”：论文中的 CIFAR-10 ResNet（16/32/64 个通道，全局平均池化），每个阶段一个基本块（8 个带权重的层），在论文使用零填充捷径的地方改用 1×1 投影；论文中最小的 ResNet-20 在 CIFAR-10 上测试错误率为 8.75%。</translation>
    </message>
    <message>
        <source>inception-mini</source>
        <translation>inception-mini</translation>
    </message>
    <message>
        <source>98.8% (98.8–98.9% over 3 seeds) after 1 epoch, 30 s on 2 CPU cores</source>
        <translation>1 轮后 98.8%（3 个随机种子：98.8–98.9%），2 个 CPU 核心上 30 s</translation>
    </message>
    <message>
        <source>Two Inception blocks (1×1, 1×1→3×3 and pool→1×1 branches joined on channels) between max pooling, then global average pooling.</source>
        <translation>最大池化之间的两个 Inception 块（1×1、1×1→3×3 和 池化→1×1 三个分支按通道拼接），最后全局平均池化。</translation>
    </message>
    <message>
        <source>Szegedy et al. 2015, &quot;Going deeper with convolutions&quot; (GoogLeNet, 6.67% top-5 error on ImageNet, ILSVRC 2014): its Inception module without the 5×5 branch, with BatchNorm after each convolution (from Ioffe &amp; Szegedy 2015), two modules instead of nine.</source>
        <translation>Szegedy 等 2015，“Going deeper with convolutions”（GoogLeNet，ILSVRC 2014 中 ImageNet top-5 错误率 6.67%）：去掉 5×5 分支的 Inception 模块，每个卷积后加批归一化（来自 Ioffe &amp; Szegedy 2015），用两个模块代替九个。</translation>
    </message>
    <message>
        <source>Source: {source}</source>
        <translation>出处：{source}</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
</context>
<context>
    <name>TileGallery</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TrainSession</name>
    <message>
        <source>&lt;b&gt;Opened {name}&lt;/b&gt;: {count} epoch(s) trained, validation {accuracy}%</source>
        <translation>&lt;b&gt;已打开 {name}&lt;/b&gt;：已训练 {count} 轮，验证集 {accuracy}%</translation>
    </message>
    <message>
        <source>&lt;b&gt;Opened {name}&lt;/b&gt;: {count} epoch(s) trained</source>
        <translation>&lt;b&gt;已打开 {name}&lt;/b&gt;：已训练 {count} 轮</translation>
    </message>
    <message>
        <source>&lt;b&gt;Taught on your digits&lt;/b&gt;: {summary}</source>
        <translation>&lt;b&gt;已用你的数字教过&lt;/b&gt;：{summary}</translation>
    </message>
</context>
<context>
    <name>TrainingDashboard</name>
    <message>
        <source>{train} train · {val} validation · {test} test</source>
        <translation>训练集 {train} · 验证集 {val} · 测试集 {test}</translation>
    </message>
    <message>
        <source>{count} classes · {shape}</source>
        <translation>{count} 个类别 · {shape}</translation>
    </message>
    <message>
        <source>Train the model in the Build tab</source>
        <translation>训练“构建”标签页中的模型</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>Training starts when the dataset has loaded</source>
        <translation>数据集加载完成后开始训练</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>No validation images to list: load a dataset and build a model first</source>
        <translation>没有可列出的验证图像：请先加载数据集并构建模型</translation>
    </message>
    <message>
        <source>Cannot list the images</source>
        <translation>无法列出这些图像</translation>
    </message>
    <message>
        <source>Reading {count} validation images…</source>
        <translation>正在读取 {count} 张验证图像…</translation>
    </message>
    <message>
        <source>Hard examples · {model}</source>
        <translation>难例 · {model}</translation>
    </message>
    <message>
        <source>Validation image #{index} pinned as the probe</source>
        <translation>验证图像 #{index} 已固定为探针图像</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
    <message>
        <source>Cannot export logits</source>
        <translation>无法导出 logits</translation>
    </message>
</context>
<context>
    <name>TrialTableModel</name>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>已剪枝</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>ended without a score (stopped, or its worker ended); it is run again</source>
        <translation>未得出分数即结束（被停止，或其工作进程已结束）；会重新运行</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Val accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数数量</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>validation accuracy of each seed: {seeds}</source>
        <translation>各随机种子的验证准确率：{seeds}</translation>
    </message>
    <message>
        <source>double-click: its runs in the Runs tab</source>
        <translation>双击：在运行记录选项卡中查看其运行</translation>
    </message>
</context>
<context>
    <name>VaryBadge</name>
    <message>
        <source>The values experiments try for {name}</source>
        <translation>实验为 {name} 尝试的取值</translation>
    </message>
    <message>
        <source>varies: {values}</source>
        <translation>变化：{values}</translation>
    </message>
    <message>
        <source>Experiments try {name} = {values}; training this model on its own uses the value above.</source>
        <translation>实验会尝试 {name} = {values}；单独训练这个模型时使用上面的值。</translation>
    </message>
    <message>
        <source>Vary… changes the values or stops varying it.</source>
        <translation>“变化…”可以修改这些取值或停止变化。</translation>
    </message>
</context>
<context>
    <name>VaryDialog</name>
    <message>
        <source>What experiments will try</source>
        <translation>实验将尝试的取值</translation>
    </message>
    <message>
        <source>Why the values cannot be used</source>
        <translation>这些取值不可用的原因</translation>
    </message>
    <message>
        <source>How values are drawn between the two ends</source>
        <translation>在两端之间如何抽取取值</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>均匀</translation>
    </message>
    <message>
        <source>log-uniform</source>
        <translation>对数均匀</translation>
    </message>
    <message>
        <source>integer</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>{name} takes values {range}.</source>
        <translation>{name} 的取值范围：{range}。</translation>
    </message>
    <message>
        <source>true</source>
        <translation>是</translation>
    </message>
    <message>
        <source>false</source>
        <translation>否</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{first} or {last}</source>
        <translation>{first}或{last}</translation>
    </message>
    <message>
        <source>{name}: {value} is not {what}</source>
        <translation>{name}：{value} 不是{what}</translation>
    </message>
    <message>
        <source>{name}: type the values to try, separated by commas</source>
        <translation>{name}：请输入要尝试的取值，用逗号分隔</translation>
    </message>
    <message>
        <source>Vary {name} — CNN Workbench</source>
        <translation>变化 {name} — CNN Workbench</translation>
    </message>
    <message>
        <source>What experiments try for {name}</source>
        <translation>实验为 {name} 尝试的取值</translation>
    </message>
    <message>
        <source>Vary {name}</source>
        <translation>变化 {name}</translation>
    </message>
    <message>
        <source>Experiments try these values of {name}.</source>
        <translation>实验会尝试 {name} 的这些取值。</translation>
    </message>
    <message>
        <source>Experiments try these values of {name} (a run of its own uses {now}).</source>
        <translation>实验会尝试 {name} 的这些取值（单独运行时使用 {now}）。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Don&apos;t vary</source>
        <translation>不变化</translation>
    </message>
    <message>
        <source>Remove the mark: experiments keep {name} as it is</source>
        <translation>取消标记：实验保持 {name} 不变</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>Try each value of a list</source>
        <translation>逐个尝试列表中的值</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Let the sampler pick values between two ends</source>
        <translation>让采样器在两端之间挑选取值</translation>
    </message>
    <message>
        <source>The values of {name} to try, separated by commas</source>
        <translation>要尝试的 {name} 取值，用逗号分隔</translation>
    </message>
    <message>
        <source>e.g. {values}</source>
        <translation>例如 {values}</translation>
    </message>
    <message>
        <source>Try {name} = {value}</source>
        <translation>尝试 {name} = {value}</translation>
    </message>
    <message>
        <source>The lowest value of {name} to try</source>
        <translation>要尝试的 {name} 最小值</translation>
    </message>
    <message>
        <source>The highest value of {name} to try</source>
        <translation>要尝试的 {name} 最大值</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Experiments try: {values}</source>
        <translation>实验将尝试：{values}</translation>
    </message>
    <message>
        <source>{name}: tick at least one value to try</source>
        <translation>{name}：请至少勾选一个要尝试的取值</translation>
    </message>
    <message>
        <source>Vary…</source>
        <translation>变化…</translation>
    </message>
    <message>
        <source>Choose the values experiments try for {name}</source>
        <translation>选择实验为 {name} 尝试的取值</translation>
    </message>
    <message>
        <source>Vary {name} in experiments: a list of values to try, or a range</source>
        <translation>在实验中变化 {name}：一组要尝试的值，或一个范围</translation>
    </message>
</context>
<context>
    <name>WindowExplorer</name>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Slide the window across the input, one output value at a time</source>
        <translation>让窗口在输入上滑动，每次得到一个输出值</translation>
    </message>
    <message>
        <source>{name} {pair} is more than this explorer shows; capped at {limit}</source>
        <translation>{name} {pair} 超出此演示的显示范围；已限制为 {limit}</translation>
    </message>
    <message>
        <source>window step</source>
        <translation>窗口步</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>These settings cannot work: {problem}</source>
        <translation>这些设置无法工作：{problem}</translation>
    </message>
    <message>
        <source>Output size: —</source>
        <translation>输出大小：—</translation>
    </message>
    <message>
        <source>no output</source>
        <translation>无输出</translation>
    </message>
    <message>
        <source>Output size:   {formula}</source>
        <translation>输出尺寸：   {formula}</translation>
    </message>
    <message>
        <source>step {step} of {count}: output row {row}, column {column}</source>
        <translation>第 {step} 步，共 {count} 步：输出第 {row} 行，第 {column} 列</translation>
    </message>
    <message>
        <source>⏸ Pause</source>
        <translation>⏸ 暂停</translation>
    </message>
</context>
<context>
    <name>WorkKeeper</name>
    <message>
        <source>Restore the model you were working on when CNN Workbench closed unexpectedly?</source>
        <translation>CNN Workbench 意外关闭了。要恢复当时正在编辑的模型吗？</translation>
    </message>
    <message>
        <source>Save &amp;trained model…</source>
        <translation>保存已训练模型(&amp;T)…</translation>
    </message>
    <message>
        <source>Export &amp;logits…</source>
        <translation>导出 logits(&amp;L)…</translation>
    </message>
    <message>
        <source>Export as PyTorch &amp;code…</source>
        <translation>导出为 PyTorch 代码(&amp;C)…</translation>
    </message>
    <message>
        <source>Export as &amp;ONNX…</source>
        <translation>导出为 ONNX(&amp;O)…</translation>
    </message>
    <message>
        <source>Resume the &amp;interrupted run</source>
        <translation>继续中断的运行(&amp;I)</translation>
    </message>
    <message>
        <source>Continue the last run from its checkpoint (saved at every epoch end)</source>
        <translation>从检查点继续上次的运行（每轮结束时保存）</translation>
    </message>
    <message>
        <source>Cannot open a trained model now</source>
        <translation>现在无法打开已训练模型</translation>
    </message>
    <message>
        <source>Training is running; stop it, then open the model.</source>
        <translation>正在训练；请先停止训练，再打开模型。</translation>
    </message>
    <message>
        <source>Cannot open this model</source>
        <translation>无法打开此模型</translation>
    </message>
    <message>
        <source>Saved the trained model to {file}</source>
        <translation>已将已训练模型保存到 {file}</translation>
    </message>
    <message>
        <source>Export as PyTorch code into folder</source>
        <translation>导出为 PyTorch 代码到文件夹</translation>
    </message>
    <message>
        <source>Replace files?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>{folder} already holds an exported model. Replace it?</source>
        <translation>{folder} 中已有导出的模型。要替换吗？</translation>
    </message>
    <message>
        <source>Cannot export the code</source>
        <translation>无法导出代码</translation>
    </message>
    <message>
        <source>Wrote {files} to {folder}</source>
        <translation>已将 {files} 写入 {folder}</translation>
    </message>
    <message>
        <source>Export as ONNX</source>
        <translation>导出为 ONNX</translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Cannot export ONNX</source>
        <translation>无法导出 ONNX</translation>
    </message>
    <message>
        <source>Cannot keep unsaved work in {folder} ({problem})</source>
        <translation>无法在 {folder} 中保留未保存的工作（{problem}）</translation>
    </message>
    <message>
        <source>Cannot autosave ({problem}); save the model yourself</source>
        <translation>无法自动保存（{problem}）；请手动保存模型</translation>
    </message>
    <message>
        <source>Cannot look for unsaved work in {folder} ({problem})</source>
        <translation>无法在 {folder} 中查找未保存的工作（{problem}）</translation>
    </message>
    <message>
        <source>{number} of {count}</source>
        <translation>第 {number} 个，共 {count} 个</translation>
    </message>
    <message>
        <source>Cannot take over unsaved work ({problem})</source>
        <translation>无法接管未保存的工作（{problem}）</translation>
    </message>
    <message>
        <source>. </source>
        <translation>。</translation>
    </message>
    <message>
        <source>Restore unsaved work ({counter})</source>
        <translation>恢复未保存的工作（{counter}）</translation>
    </message>
    <message>
        <source>Restore unsaved work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>Restore unsaved model</source>
        <translation>恢复未保存的模型</translation>
    </message>
    <message>
        <source>An interrupted run was kept: Run ▸ Resume the interrupted run continues it ({older})</source>
        <translation>已保留一次中断的运行：运行 ▸ 继续中断的运行 可接着进行（{older}）</translation>
    </message>
    <message>
        <source>An interrupted run was kept: Run ▸ Resume the interrupted run continues it</source>
        <translation>已保留一次中断的运行：运行 ▸ 继续中断的运行 可接着进行</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Model: {name}, {layers}</source>
        <translation>模型：{name}，{layers}</translation>
    </message>
    <message>
        <source>Autosaved: {when}</source>
        <translation>自动保存于：{when}</translation>
    </message>
    <message>
        <source>Last saved as: {file}</source>
        <translation>上次保存为：{file}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>today at {time}</source>
        <translation>今天 {time}</translation>
    </message>
    <message>
        <source>{day} at {time}</source>
        <translation>{day} {time}</translation>
    </message>
    <message>
        <source>Restored {count} unsaved models; save them to keep them</source>
        <translation>已恢复 {count} 个未保存的模型；请保存以保留它们</translation>
    </message>
    <message>
        <source>Restored the unsaved model (last saved as {file}); save it to keep it</source>
        <translation>已恢复未保存的模型（上次保存为 {file}）；请保存以保留它</translation>
    </message>
    <message>
        <source>Restored the unsaved model; save it to keep it</source>
        <translation>已恢复未保存的模型；请保存以保留它</translation>
    </message>
    <message>
        <source>{count} layer</source>
        <translation>{count} 层</translation>
    </message>
    <message>
        <source>{count} layers</source>
        <translation>{count} 层</translation>
    </message>
    <message>
        <source>{count} interrupted run kept for a later start</source>
        <translation>{count} 次中断的运行留待以后启动时处理</translation>
    </message>
    <message>
        <source>{count} interrupted runs kept for a later start</source>
        <translation>{count} 次中断的运行留待以后启动时处理</translation>
    </message>
    <message>
        <source>{count} older one kept for the next starts</source>
        <translation>另有 {count} 次较早的留待之后启动时处理</translation>
    </message>
    <message>
        <source>{count} older ones kept for the next starts</source>
        <translation>另有 {count} 次较早的留待之后启动时处理</translation>
    </message>
</context>
<context>
    <name>common</name>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Fit the view to the data and follow new data again</source>
        <translation>让视图适应数据，并重新跟随新数据</translation>
    </message>
    <message>
        <source>branch {number}</source>
        <translation>分支 {number}</translation>
    </message>
    <message>
        <source>projection</source>
        <translation>投影</translation>
    </message>
</context>
<context>
    <name>inspector</name>
    <message>
        <source>CNN Workbench — layer inspector</source>
        <translation>CNN Workbench — 层检查器</translation>
    </message>
</context>
<context>
    <name>predict_dialog</name>
    <message>
        <source>Predict a folder</source>
        <translation>预测文件夹</translation>
    </message>
    <message>
        <source>There is no model to predict with: build one first.</source>
        <translation>没有可用于预测的模型：请先构建一个。</translation>
    </message>
</context>
<context>
    <name>results</name>
    <message>
        <source>Export logits on the {split} split</source>
        <translation>导出{split}上的 logits</translation>
    </message>
    <message>
        <source>Logits on {split}</source>
        <translation>{split}上的 logits</translation>
    </message>
    <message>
        <source>Logits on {split}…</source>
        <translation>正在计算{split}上的 logits…</translation>
    </message>
    <message>
        <source>Wrote {rows} rows of logits to {file}</source>
        <translation>已将 {rows} 行 logits 写入 {file}</translation>
    </message>
    <message>
        <source>Cannot export logits</source>
        <translation>无法导出 logits</translation>
    </message>
    <message>
        <source>There is no trained model yet: train one or open a .cnnwb file.</source>
        <translation>还没有已训练的模型：请先训练一个，或打开一个 .cnnwb 文件。</translation>
    </message>
    <message>
        <source>The dataset has not loaded yet; wait for it, then export again.</source>
        <translation>数据集尚未加载完成；请等它加载后再导出。</translation>
    </message>
    <message>
        <source>Save trained model</source>
        <translation>保存已训练的模型</translation>
    </message>
    <message>
        <source>Trained model (*.cnnwb)</source>
        <translation>已训练的模型 (*.cnnwb)</translation>
    </message>
    <message>
        <source>Cannot save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>{file}: {problem}. Choose another folder or name.</source>
        <translation>{file}：{problem}。请选择其他文件夹或文件名。</translation>
    </message>
    <message>
        <source>The architecture changed since {name} was opened: training starts from fresh weights</source>
        <translation>打开 {name} 之后结构已改变：训练将从新的权重开始</translation>
    </message>
    <message>
        <source>Training continues from the weights of {name}</source>
        <translation>训练将从 {name} 的权重继续</translation>
    </message>
    <message>
        <source>The dataset has not loaded yet; wait for it, then resume.</source>
        <translation>数据集尚未加载完成；请等它加载后再继续。</translation>
    </message>
    <message>
        <source>Cannot resume the last run: {problem}</source>
        <translation>无法继续上次的运行：{problem}</translation>
    </message>
    <message>
        <source>The last run trained on {dataset}; choose that dataset in Data, then resume.</source>
        <translation>上次的运行是在 {dataset} 上训练的；请在“数据”中选择该数据集，然后继续。</translation>
    </message>
</context>
<context>
    <name>summary</name>
    <message>
        <source>CNN Workbench — model summary</source>
        <translation>CNN Workbench — 模型概要</translation>
    </message>
    <message>
        <source>Click a layer in the strip.</source>
        <translation>点击条带中的一个层。</translation>
    </message>
</context>
</TS>

// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The default workflow's prompts against the offline sandbox: the stand-in language model must
// recognise which step asks for what, find the brief in the prompt, and its answers must pass the
// checks; every rendered input must fit the model's real input schema.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/brief/briefjson.h"
#include "core/sandbox/inputvalidator.h"
#include "core/sandbox/modelcatalog.h"
#include "core/sandbox/textgenerator.h"
#include "core/workflow/outputcheck.h"
#include "core/workflow/steptemplate.h"
#include "core/workflow/workflow.h"

using namespace brieflow;

namespace {

Brief exampleBrief(const QString &file)
{
    QFile in(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/") + file);
    if (!in.open(QIODevice::ReadOnly))
        qFatal("cannot open the example brief");
    const auto brief = briefFromJson(in.readAll());
    if (!brief.ok())
        qFatal("the example brief is invalid");
    return *brief;
}

QString field(const QByteArray &json, const QString &key)
{
    return QJsonDocument::fromJson(json).object().value(key).toString();
}

QString generate(const QByteArray &input, quint64 seed)
{
    sandbox::TextRequest request;
    request.prompt = field(input, QStringLiteral("prompt"));
    request.systemPrompt = field(input, QStringLiteral("system_prompt"));
    request.maxTokens =
        QJsonDocument::fromJson(input).object().value(QStringLiteral("max_tokens")).toInt();
    request.seed = seed;
    return sandbox::generateTextTokens(request).join(QString());
}

QString schemaProblems(const QString &model, const QByteArray &input)
{
    static const sandbox::ModelCatalog catalog;
    const sandbox::SandboxModel *found = catalog.modelByFullName(model);
    if (found == nullptr)
        return QStringLiteral("the sandbox doesn't know %1").arg(model);
    QStringList problems;
    for (const sandbox::FieldError &error :
         sandbox::validateInput(found->openApiSchema, input, /*strict=*/true))
        problems.append(error.field + QStringLiteral(": ") + error.description);
    return problems.join(QLatin1Char('\n'));
}

} // namespace

class TestWorkflowSandbox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runsTheDefaultWorkflow_data();
    void runsTheDefaultWorkflow();
};

void TestWorkflowSandbox::runsTheDefaultWorkflow_data()
{
    QTest::addColumn<QString>("briefFile");
    QTest::addColumn<quint64>("seed");
    QTest::newRow("brief.json") << QStringLiteral("brief.json") << quint64(1);
    QTest::newRow("brief.json, another seed") << QStringLiteral("brief.json") << quint64(987654321);
    QTest::newRow("café, accents") << QStringLiteral("brief-cafe-nandu.json") << quint64(7);
    QTest::newRow("minimal: no tone or notes")
        << QStringLiteral("brief-notekeeper-minimal.json") << quint64(42);
}

void TestWorkflowSandbox::runsTheDefaultWorkflow()
{
    QFETCH(QString, briefFile);
    QFETCH(quint64, seed);
    const auto workflow = builtinWorkflow(defaultWorkflowId());
    QVERIFY(workflow.ok());
    const Brief brief = exampleBrief(briefFile);
    TemplateContext context{briefToJson(brief), {}};

    // concept
    const StepDefinition *conceptStep = workflow->step(QStringLiteral("concept"));
    QVERIFY(conceptStep != nullptr);
    const auto conceptInput = renderStepInput(*conceptStep, context);
    QVERIFY2(conceptInput.ok(), qPrintable(conceptInput.ok() ? QString() : conceptInput.error()));
    QCOMPARE(schemaProblems(conceptStep->model, *conceptInput), QString());
    const QString conceptPrompt = field(*conceptInput, QStringLiteral("prompt"));
    QVERIFY(conceptPrompt.contains(QStringLiteral("Product name: ") + brief.productName));
    QCOMPARE(conceptPrompt.contains(QStringLiteral("Tone of voice: ")), !brief.tone.isEmpty());
    QVERIFY(!sandbox::asksForImagePrompt(conceptPrompt,
                                         field(*conceptInput, QStringLiteral("system_prompt"))));
    const auto conceptText = checkStepOutput(*conceptStep, generate(*conceptInput, seed));
    QVERIFY2(conceptText.ok(), qPrintable(conceptText.ok() ? QString() : conceptText.error()));
    QVERIFY2(conceptText->contains(brief.productName), qPrintable(*conceptText));
    QVERIFY(!conceptText->contains(QStringLiteral("your product")));
    context.stepOutputs.insert(conceptStep->name, *conceptText);

    // image_prompt
    const StepDefinition *imagePrompt = workflow->step(QStringLiteral("image_prompt"));
    QVERIFY(imagePrompt != nullptr);
    const auto promptInput = renderStepInput(*imagePrompt, context);
    QVERIFY2(promptInput.ok(), qPrintable(promptInput.ok() ? QString() : promptInput.error()));
    QCOMPARE(schemaProblems(imagePrompt->model, *promptInput), QString());
    const QString promptPrompt = field(*promptInput, QStringLiteral("prompt"));
    QVERIFY(promptPrompt.contains(*conceptText));
    QVERIFY(sandbox::asksForImagePrompt(promptPrompt,
                                        field(*promptInput, QStringLiteral("system_prompt"))));
    // Also when the system prompt is lost (a model without one): the prompt alone asks.
    QVERIFY(sandbox::asksForImagePrompt(promptPrompt, QString()));
    const QString raw = generate(*promptInput, seed);
    QVERIFY(raw.startsWith(QStringLiteral("[sandbox]")));
    const auto promptText = checkStepOutput(*imagePrompt, raw);
    QVERIFY2(promptText.ok(), qPrintable(promptText.ok() ? QString() : promptText.error()));
    QVERIFY2(promptText->contains(brief.productName), qPrintable(*promptText));
    context.stepOutputs.insert(imagePrompt->name, *promptText);

    // image
    const StepDefinition *image = workflow->step(QStringLiteral("image"));
    QVERIFY(image != nullptr);
    const auto imageInput = renderStepInput(*image, context);
    QVERIFY2(imageInput.ok(), qPrintable(imageInput.ok() ? QString() : imageInput.error()));
    QCOMPARE(schemaProblems(image->model, *imageInput), QString());
    const QJsonObject flux = QJsonDocument::fromJson(*imageInput).object();
    QCOMPARE(flux.value(QStringLiteral("prompt")).toString(), *promptText);
    QCOMPARE(flux.value(QStringLiteral("aspect_ratio")).toString(), brief.image.aspectRatio);
    QCOMPARE(flux.value(QStringLiteral("num_outputs")).toInt(-1), brief.image.count);
    QVERIFY(flux.value(QStringLiteral("num_outputs")).isDouble()); // a JSON number
    QCOMPARE(flux.value(QStringLiteral("output_format")).toString(), brief.image.outputFormat);
}

QTEST_GUILESS_MAIN(TestWorkflowSandbox)
#include "tst_workflowsandbox.moc"

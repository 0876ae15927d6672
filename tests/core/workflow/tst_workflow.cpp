// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <cmath>
#include <functional>
#include <limits>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "core/workflow/workflow.h"

using namespace brieflow;
using namespace std::chrono_literals;

namespace {

using Edit = std::function<void(QJsonObject &)>;

QJsonObject textStep(const QString &name, const QString &prompt)
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("title"), name},
        {QStringLiteral("kind"), QStringLiteral("text")},
        {QStringLiteral("model"), QStringLiteral("meta/meta-llama-3-8b-instruct")},
        {QStringLiteral("input"), QJsonObject{{QStringLiteral("prompt"), prompt}}},
    };
}

// A small valid workflow: concept → image_prompt → image → store.
QJsonObject baseWorkflow()
{
    const QJsonObject image{
        {QStringLiteral("name"), QStringLiteral("image")},
        {QStringLiteral("title"), QStringLiteral("Images")},
        {QStringLiteral("kind"), QStringLiteral("image")},
        {QStringLiteral("model"), QStringLiteral("black-forest-labs/flux-schnell")},
        {QStringLiteral("input"),
         QJsonObject{{QStringLiteral("prompt"), QStringLiteral("{{steps.image_prompt.output}}")},
                     {QStringLiteral("num_outputs"), QStringLiteral("{{brief.image.count}}")}}},
    };
    const QJsonObject store{{QStringLiteral("name"), QStringLiteral("store")},
                            {QStringLiteral("title"), QStringLiteral("Save")},
                            {QStringLiteral("kind"), QStringLiteral("store")}};
    return QJsonObject{
        {QStringLiteral("id"), QStringLiteral("demo")},
        {QStringLiteral("title"), QStringLiteral("Demo")},
        {QStringLiteral("version"), 1},
        {QStringLiteral("steps"),
         QJsonArray{textStep(QStringLiteral("concept"),
                             QStringLiteral("A concept for {{brief.product_name}}.")),
                    textStep(QStringLiteral("image_prompt"),
                             QStringLiteral("An image prompt from {{steps.concept.output}}")),
                    image, store}},
    };
}

QByteArray workflowJson(const Edit &edit = {})
{
    QJsonObject workflow = baseWorkflow();
    if (edit)
        edit(workflow);
    return QJsonDocument(workflow).toJson(QJsonDocument::Compact);
}

// Applies @p edit to steps[@p index].
Edit onStep(int index, const Edit &edit)
{
    return [=](QJsonObject &workflow) {
        QJsonArray steps = workflow.value(QStringLiteral("steps")).toArray();
        QJsonObject step = steps.at(index).toObject();
        edit(step);
        steps.replace(index, step);
        workflow.insert(QStringLiteral("steps"), steps);
    };
}

Edit set(const QString &key, const QJsonValue &value)
{
    return [=](QJsonObject &object) { object.insert(key, value); };
}

Edit remove(const QString &key)
{
    return [=](QJsonObject &object) { object.remove(key); };
}

Edit setPrompt(const QString &prompt)
{
    return set(QStringLiteral("input"), QJsonObject{{QStringLiteral("prompt"), prompt}});
}

Edit setRetry(const QJsonObject &retry)
{
    return set(QStringLiteral("retry"), retry);
}

Edit setCheck(const QJsonObject &check)
{
    return set(QStringLiteral("check"), check);
}

QString dump(const WorkflowErrors &errors)
{
    return formatWorkflowErrors(errors);
}

} // namespace

class TestWorkflow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stepKindNames();
    void parsesMinimalWorkflow();
    void parsesEveryField();
    void acceptsModelReferenceForms();
    void rejects_data();
    void rejects();
    void reportsEveryProblem();
    void lookups();

    void builtinResourceIsEmbedded();
    void builtinDefaultWorkflow();
    void builtinMatchesSourceFile();
    void builtinUnknownIds_data();
    void builtinUnknownIds();
    void loadsFiles();

    void retriesUnlessListed();
    void backoffExponentialAndCapped_data();
    void backoffExponentialAndCapped();
    void backoffJitterBounds();
    void backoffOddInputs();
};

void TestWorkflow::stepKindNames()
{
    for (const StepKind kind : {StepKind::Text, StepKind::Image, StepKind::Store})
        QVERIFY(stepKindFromString(toString(kind)) == kind);
    QCOMPARE(toString(StepKind::Image), QStringLiteral("image"));
    QVERIFY(!stepKindFromString(u"Text"));
    QVERIFY(!stepKindFromString(u""));
}

void TestWorkflow::parsesMinimalWorkflow()
{
    const auto parsed = parseWorkflow(workflowJson());
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : dump(parsed.error())));
    const Workflow &w = *parsed;
    QCOMPARE(w.id, QStringLiteral("demo"));
    QCOMPARE(w.title, QStringLiteral("Demo"));
    QCOMPARE(w.version, 1);
    QCOMPARE(w.stepNames(), (QStringList{QStringLiteral("concept"), QStringLiteral("image_prompt"),
                                         QStringLiteral("image"), QStringLiteral("store")}));
    const StepDefinition &conceptStep = w.steps.at(0);
    QCOMPARE(toString(conceptStep.kind), toString(StepKind::Text));
    QCOMPARE(conceptStep.model, QStringLiteral("meta/meta-llama-3-8b-instruct"));
    QCOMPARE(conceptStep.inputTemplate,
             QByteArray(R"({"prompt":"A concept for {{brief.product_name}}."})"));
    // Defaults for everything not given.
    QCOMPARE(conceptStep.timeout, 300s);
    QCOMPARE(conceptStep.stream, false);
    QCOMPARE(conceptStep.retry, RetryPolicy());
    QCOMPARE(conceptStep.check, OutputCheck());
    const StepDefinition &store = w.steps.at(3);
    QCOMPARE(toString(store.kind), toString(StepKind::Store));
    QVERIFY(store.model.isEmpty());
    QVERIFY(store.inputTemplate.isEmpty());
}

void TestWorkflow::parsesEveryField()
{
    const QByteArray json = workflowJson(onStep(1, [](QJsonObject &step) {
        step.insert(QStringLiteral("timeout_seconds"), 5);
        step.insert(QStringLiteral("stream"), true);
        step.insert(QStringLiteral("retry"),
                    QJsonObject{{QStringLiteral("max_attempts"), 5},
                                {QStringLiteral("initial_backoff_ms"), 0},
                                {QStringLiteral("max_backoff_ms"), 1000},
                                {QStringLiteral("jitter"), 1},
                                {QStringLiteral("never_retry"),
                                 QJsonArray{QStringLiteral("invalid_input"),
                                            QStringLiteral("output_rejected")}}});
        step.insert(QStringLiteral("check"),
                    QJsonObject{{QStringLiteral("min_chars"), 20},
                                {QStringLiteral("max_chars"), 20},
                                {QStringLiteral("reject_apology"), true},
                                {QStringLiteral("single_paragraph"), true}});
    }));
    const auto parsed = parseWorkflow(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : dump(parsed.error())));
    const StepDefinition &step = parsed->steps.at(1);
    QCOMPARE(step.timeout, 5s);
    QCOMPARE(step.stream, true);
    QCOMPARE(step.retry.maxAttempts, 5);
    QCOMPARE(step.retry.initialBackoff, 0ms);
    QCOMPARE(step.retry.maxBackoff, 1000ms);
    QCOMPARE(step.retry.jitter, 1.0);
    QCOMPARE(step.retry.neverRetry,
             (QStringList{QStringLiteral("invalid_input"), QStringLiteral("output_rejected")}));
    QCOMPARE(step.check.minChars, 20);
    QCOMPARE(step.check.maxChars, 20);
    QCOMPARE(step.check.rejectApology, true);
    QCOMPARE(step.check.singleParagraph, true);
    // A partial retry object keeps the other defaults.
    const auto partial = parseWorkflow(
        workflowJson(onStep(0, setRetry(QJsonObject{{QStringLiteral("max_attempts"), 1}}))));
    QVERIFY(partial.ok());
    RetryPolicy expected;
    expected.maxAttempts = 1;
    QCOMPARE(partial->steps.at(0).retry, expected);
}

void TestWorkflow::acceptsModelReferenceForms()
{
    const QString version(64, QLatin1Char('a'));
    const QStringList models = {QStringLiteral("meta/meta-llama-3-8b-instruct"),
                                QStringLiteral("meta/meta-llama-3-8b-instruct:") + version,
                                QStringLiteral("deployments/acme/my-llama")};
    for (const QString &model : models) {
        const auto parsed =
            parseWorkflow(workflowJson(onStep(0, set(QStringLiteral("model"), model))));
        QVERIFY2(parsed.ok(), qPrintable(model));
        QCOMPARE(parsed->steps.at(0).model, model);
    }
}

void TestWorkflow::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("fragment");

    const auto row = [](const char *name, const QByteArray &json, const char *path,
                        const char *fragment) {
        QTest::newRow(name) << json << QString::fromUtf8(path) << QString::fromUtf8(fragment);
    };
    const auto edited = [](const Edit &edit) { return workflowJson(edit); };
    const auto step = [](int index, const Edit &edit) { return workflowJson(onStep(index, edit)); };
    const auto prompt = [](int index, const char *text) {
        return workflowJson(onStep(index, setPrompt(QString::fromUtf8(text))));
    };

    // The file as a whole.
    row("empty", "  ", "", "empty");
    row("not JSON", R"({"id": "demo",})", "", "isn't valid JSON: line 1, column 15");
    row("JSON on line 3", "{\n\"id\": \"demo\",\n\"title\" \"x\"}", "", "line 3, column");
    row("a list", "[]", "", "JSON object");
    row("repeated key", "{\"title\":\"Other\"," + workflowJson().mid(1), "title", "more than once");

    // The workflow object.
    row("unknown key", edited(set(QStringLiteral("author"), QStringLiteral("me"))), "author",
        "Unknown key “author”");
    row("id missing", edited(remove(QStringLiteral("id"))), "id", "Missing");
    row("id not snake_case", edited(set(QStringLiteral("id"), QStringLiteral("Campaign Asset"))),
        "id", "not a valid id");
    row("title empty", edited(set(QStringLiteral("title"), QStringLiteral("  "))), "title",
        "empty");
    row("title a number", edited(set(QStringLiteral("title"), 3)), "title", "the number 3");
    row("version missing", edited(remove(QStringLiteral("version"))), "version", "Missing");
    row("version 0", edited(set(QStringLiteral("version"), 0)), "version", "from 1");
    row("version as text", edited(set(QStringLiteral("version"), QStringLiteral("1"))), "version",
        "the text “1”");
    row("steps missing", edited(remove(QStringLiteral("steps"))), "steps", "Missing");
    row("steps empty", edited(set(QStringLiteral("steps"), QJsonArray())), "steps",
        "at least one step");
    row("steps an object", edited(set(QStringLiteral("steps"), QJsonObject())), "steps",
        "list of steps");

    // A step's own fields.
    row("step not an object", edited([](QJsonObject &w) {
            QJsonArray steps = w.value(QStringLiteral("steps")).toArray();
            steps.append(QStringLiteral("store"));
            w.insert(QStringLiteral("steps"), steps);
        }),
        "steps[4]", "A step is a JSON object");
    row("unknown step key", step(0, set(QStringLiteral("modle"), QStringLiteral("x"))),
        "steps[0].modle", "Unknown key “modle”");
    row("name missing", step(3, remove(QStringLiteral("name"))), "steps[3].name", "Missing");
    row("name not snake_case", step(3, set(QStringLiteral("name"), QStringLiteral("Save-It"))),
        "steps[3].name", "not a valid step name");
    row("name repeated", step(3, set(QStringLiteral("name"), QStringLiteral("concept"))),
        "steps[3].name", "steps[0] is already called “concept”");
    row("title missing", step(2, remove(QStringLiteral("title"))), "steps[2].title", "Missing");
    row("kind missing", step(3, remove(QStringLiteral("kind"))), "steps[3].kind", "Missing");
    row("kind unknown", step(0, set(QStringLiteral("kind"), QStringLiteral("video"))),
        "steps[0].kind", "“video” is not a step kind");
    row("model missing", step(0, remove(QStringLiteral("model"))), "steps[0].model", "Missing");
    row("model invalid", step(0, set(QStringLiteral("model"), QStringLiteral("llama3"))),
        "steps[0].model", "not a Replicate model");
    row("model bad version", step(2, set(QStringLiteral("model"), QStringLiteral("a/b:xyz"))),
        "steps[2].model", "not a Replicate model");
    row("input missing", step(0, remove(QStringLiteral("input"))), "steps[0].input", "Missing");
    row("input a string", step(0, set(QStringLiteral("input"), QStringLiteral("hi"))),
        "steps[0].input", "JSON object");
    row("timeout too short", step(0, set(QStringLiteral("timeout_seconds"), 4)),
        "steps[0].timeout_seconds", "from 5 to 86400");
    row("timeout fractional", step(0, set(QStringLiteral("timeout_seconds"), 30.5)),
        "steps[0].timeout_seconds", "whole number");
    row("stream not bool", step(0, set(QStringLiteral("stream"), QStringLiteral("yes"))),
        "steps[0].stream", "true or false");
    row("image step streams", step(2, set(QStringLiteral("stream"), true)), "steps[2].stream",
        "Only text steps");
    row("image step check", step(2, setCheck({})), "steps[2].check", "Only text steps");
    row("store with model",
        step(3, set(QStringLiteral("model"), QStringLiteral("meta/meta-llama-3-8b-instruct"))),
        "steps[3].model", "store step");
    row("store with input", step(3, set(QStringLiteral("input"), QJsonObject())), "steps[3].input",
        "store step");
    row("store with timeout", step(3, set(QStringLiteral("timeout_seconds"), 60)),
        "steps[3].timeout_seconds", "store step");

    // Retry policies.
    row("retry not an object", step(0, set(QStringLiteral("retry"), 3)), "steps[0].retry",
        "Must be an object");
    row("retry unknown key", step(1, setRetry({{QStringLiteral("attempts"), 3}})),
        "steps[1].retry.attempts", "Unknown key “attempts”");
    row("max_attempts 0", step(1, setRetry({{QStringLiteral("max_attempts"), 0}})),
        "steps[1].retry.max_attempts", "from 1 to 20");
    row("max_attempts 1.5", step(1, setRetry({{QStringLiteral("max_attempts"), 1.5}})),
        "steps[1].retry.max_attempts", "the number 1.5");
    row("max_attempts huge", step(1, setRetry({{QStringLiteral("max_attempts"), 1e12}})),
        "steps[1].retry.max_attempts", "from 1 to 20");
    row("initial backoff negative", step(1, setRetry({{QStringLiteral("initial_backoff_ms"), -1}})),
        "steps[1].retry.initial_backoff_ms", "from 0");
    row("max below initial",
        step(1, setRetry({{QStringLiteral("initial_backoff_ms"), 5000},
                          {QStringLiteral("max_backoff_ms"), 1000}})),
        "steps[1].retry.max_backoff_ms", "at least initial_backoff_ms (5000)");
    row("initial above default max",
        step(1, setRetry({{QStringLiteral("initial_backoff_ms"), 90000}})),
        "steps[1].retry.initial_backoff_ms", "max_backoff_ms (60000)");
    row("jitter above 1", step(1, setRetry({{QStringLiteral("jitter"), 1.5}})),
        "steps[1].retry.jitter", "from 0 to 1");
    row("jitter as text", step(1, setRetry({{QStringLiteral("jitter"), QStringLiteral("0.2")}})),
        "steps[1].retry.jitter", "from 0 to 1");
    row("never_retry not a list",
        step(1, setRetry({{QStringLiteral("never_retry"), QStringLiteral("invalid_input")}})),
        "steps[1].retry.never_retry", "list of error types");
    row("never_retry item a number",
        step(1, setRetry({{QStringLiteral("never_retry"),
                           QJsonArray{QStringLiteral("invalid_input"), 422}}})),
        "steps[1].retry.never_retry[1]", "the number 422");
    row("never_retry item repeated",
        step(1, setRetry({{QStringLiteral("never_retry"),
                           QJsonArray{QStringLiteral("timeout"), QStringLiteral("timeout")}}})),
        "steps[1].retry.never_retry[1]", "listed twice");

    // Output checks.
    row("check not an object", step(1, set(QStringLiteral("check"), true)), "steps[1].check",
        "Must be an object");
    row("check unknown key", step(1, setCheck({{QStringLiteral("max_length"), 10}})),
        "steps[1].check.max_length", "Unknown key “max_length”");
    row("min_chars 0", step(1, setCheck({{QStringLiteral("min_chars"), 0}})),
        "steps[1].check.min_chars", "from 1");
    row("max below min",
        step(1, setCheck({{QStringLiteral("min_chars"), 50}, {QStringLiteral("max_chars"), 10}})),
        "steps[1].check.max_chars", "at least min_chars (50)");
    row("reject_apology as text",
        step(1, setCheck({{QStringLiteral("reject_apology"), QStringLiteral("yes")}})),
        "steps[1].check.reject_apology", "true or false");

    // Templates.
    row("unknown brief field", prompt(0, "For {{brief.colour}}"), "steps[0].input.prompt",
        "Unknown brief field “{{brief.colour}}”");
    row("brief group", prompt(0, "{{brief.image}}"), "steps[0].input.prompt",
        "Unknown brief field");
    row("optional field outside its section", prompt(0, "Tone: {{brief.tone}}"),
        "steps[0].input.prompt", "put it inside {{#brief.tone}}…{{/brief.tone}}");
    row("optional field in another section",
        prompt(0, "{{#brief.tone}}{{brief.brand_notes}}{{/brief.tone}}"), "steps[0].input.prompt",
        "{{#brief.brand_notes}}");
    row("optional field in an inverted section",
        prompt(0, "{{^brief.tone}}{{brief.tone}}{{/brief.tone}}"), "steps[0].input.prompt",
        "optional");
    row("later step", prompt(0, "{{steps.image_prompt.output}}"), "steps[0].input.prompt",
        "runs after this one");
    row("own output", prompt(1, "{{steps.image_prompt.output}}"), "steps[1].input.prompt",
        "its own output");
    row("unknown step", prompt(1, "{{steps.headline.output}}"), "steps[1].input.prompt",
        "no step “headline”");
    row("step without text output", edited([](QJsonObject &w) {
            QJsonArray steps = w.value(QStringLiteral("steps")).toArray();
            steps.append(textStep(QStringLiteral("caption"),
                                  QStringLiteral("Caption for {{steps.image.output}}")));
            w.insert(QStringLiteral("steps"), steps);
        }),
        "steps[4].input.prompt", "step “image” has no text output");
    row("step without .output", prompt(1, "{{steps.concept}}"), "steps[1].input.prompt",
        "not a step output");
    row("step other property", prompt(1, "{{steps.concept.text}}"), "steps[1].input.prompt",
        "not a step output");
    row("unknown root", prompt(0, "{{product_name}}"), "steps[0].input.prompt",
        "Unknown placeholder “{{product_name}}”");
    row("section never closed", prompt(0, "{{#brief.tone}}Tone: {{brief.tone}}"),
        "steps[0].input.prompt", "never closed");
    row("sections crossed",
        prompt(0, "{{#brief.tone}}{{#brief.brand_notes}}{{/brief.tone}}{{/brief.brand_notes}}"),
        "steps[0].input.prompt", "doesn't match the open section “{{#brief.brand_notes}}”");
    row("section never opened", prompt(0, "x{{/brief.tone}}"), "steps[0].input.prompt",
        "never opened");
    row("braces not closed", prompt(0, "For {{brief.product_name"), "steps[0].input.prompt",
        "without a closing");
    row("empty placeholder", prompt(0, "For {{ }}"), "steps[0].input.prompt", "not a placeholder");
    row("partials unsupported", prompt(0, "{{> header}}"), "steps[0].input.prompt",
        "not supported");
    row("triple braces unsupported", prompt(0, "{{{brief.product_name}}}"), "steps[0].input.prompt",
        "not supported");
    row("nested in a list",
        step(0, set(QStringLiteral("input"),
                    QJsonObject{{QStringLiteral("messages"),
                                 QJsonArray{QJsonObject{{QStringLiteral("content"),
                                                         QStringLiteral("{{brief.x}}")}}}}})),
        "steps[0].input.messages[0].content", "Unknown brief field");
    row("placeholder in a key",
        step(0, set(QStringLiteral("input"),
                    QJsonObject{{QStringLiteral("{{brief.product_name}}"), QStringLiteral("x")}})),
        "steps[0].input.{{brief.product_name}}", "A key can't hold placeholders");
}

void TestWorkflow::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, fragment);

    const auto parsed = parseWorkflow(json);
    QVERIFY2(!parsed.ok(), "the workflow was accepted");
    const WorkflowErrors &errors = parsed.error();
    QVERIFY2(errors.size() == 1, qPrintable(dump(errors)));
    QCOMPARE(errors.constFirst().path, path);
    QVERIFY2(errors.constFirst().message.contains(fragment), qPrintable(dump(errors)));
    QVERIFY(errors.constFirst().message.endsWith(QLatin1Char('.')));
}

void TestWorkflow::reportsEveryProblem()
{
    const QByteArray json = workflowJson([](QJsonObject &w) {
        onStep(0, set(QStringLiteral("timeout_seconds"), 1))(w);
        onStep(1, setPrompt(QStringLiteral("{{brief.nope}} {{steps.later.output}}")))(w);
        onStep(2, setRetry({{QStringLiteral("jitter"), -1}}))(w);
        w.insert(QStringLiteral("version"), -3);
    });
    const auto parsed = parseWorkflow(json);
    QVERIFY(!parsed.ok());
    QStringList paths;
    for (const WorkflowError &e : parsed.error())
        paths.append(e.path);
    QCOMPARE(paths,
             (QStringList{QStringLiteral("version"), QStringLiteral("steps[0].timeout_seconds"),
                          QStringLiteral("steps[1].input.prompt"),
                          QStringLiteral("steps[1].input.prompt"),
                          QStringLiteral("steps[2].retry.jitter")}));
    QVERIFY(formatWorkflowErrors(parsed.error())
                .startsWith(QStringLiteral("version: Must be a whole number")));
}

void TestWorkflow::lookups()
{
    const auto parsed = parseWorkflow(workflowJson());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->indexOf(QStringLiteral("image")), 2);
    QCOMPARE(parsed->indexOf(QStringLiteral("nope")), -1);
    QVERIFY(parsed->step(QStringLiteral("nope")) == nullptr);
    const StepDefinition *step = parsed->step(QStringLiteral("image_prompt"));
    QVERIFY(step != nullptr);
    QCOMPARE(toString(step->kind), toString(StepKind::Text));
    QCOMPARE(step, &parsed->steps.at(1));
}

void TestWorkflow::builtinResourceIsEmbedded()
{
    // The core is a static library: the resource must still reach this executable.
    QVERIFY(QFile::exists(QStringLiteral(":/brieflow/workflows/campaign_asset.json")));
    QCOMPARE(builtinWorkflowIds(), QStringList{defaultWorkflowId()});
    QCOMPARE(defaultWorkflowId(), QStringLiteral("campaign_asset"));
}

void TestWorkflow::builtinDefaultWorkflow()
{
    const auto loaded = builtinWorkflow(defaultWorkflowId());
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : dump(loaded.error())));
    const Workflow &w = *loaded;
    QCOMPARE(w.id, QStringLiteral("campaign_asset"));
    QCOMPARE(w.title, QStringLiteral("Campaign asset"));
    QCOMPARE(w.version, 1);
    QCOMPARE(w.stepNames(), (QStringList{QStringLiteral("concept"), QStringLiteral("image_prompt"),
                                         QStringLiteral("image"), QStringLiteral("store")}));

    const StepDefinition &conceptStep = w.steps.at(0);
    QCOMPARE(conceptStep.title, QStringLiteral("Campaign concept"));
    QCOMPARE(toString(conceptStep.kind), toString(StepKind::Text));
    QCOMPARE(conceptStep.model, QStringLiteral("meta/meta-llama-3-8b-instruct"));
    QCOMPARE(conceptStep.timeout, 120s);
    QCOMPARE(conceptStep.stream, true);
    QVERIFY(conceptStep.check.rejectApology);

    const StepDefinition &prompt = w.steps.at(1);
    QCOMPARE(toString(prompt.kind), toString(StepKind::Text));
    QCOMPARE(prompt.model, QStringLiteral("meta/meta-llama-3-8b-instruct"));
    QCOMPARE(prompt.timeout, 120s);
    QCOMPARE(prompt.stream, false);
    QCOMPARE(prompt.check.minChars, 20);
    QCOMPARE(prompt.check.maxChars, 1000);
    QVERIFY(prompt.check.rejectApology);
    QVERIFY(prompt.check.singleParagraph);

    const StepDefinition &image = w.steps.at(2);
    QCOMPARE(toString(image.kind), toString(StepKind::Image));
    QCOMPARE(image.model, QStringLiteral("black-forest-labs/flux-schnell"));
    QCOMPARE(image.timeout, 300s);

    QCOMPARE(toString(w.steps.at(3).kind), toString(StepKind::Store));

    RetryPolicy retry;
    retry.neverRetry = {QStringLiteral("invalid_input"), QStringLiteral("policy_refusal"),
                        QStringLiteral("output_rejected"), QStringLiteral("not_found")};
    for (qsizetype i = 0; i < 3; ++i)
        QCOMPARE(w.steps.at(i).retry, retry);
    QVERIFY(!prompt.retry.retries(QStringLiteral("output_rejected")));

    // Served from the cache the second time, equal to the first.
    const auto again = builtinWorkflow(defaultWorkflowId());
    QVERIFY(again.ok());
    QCOMPARE(*again, w);
}

void TestWorkflow::builtinMatchesSourceFile()
{
    QFile source(QStringLiteral(BRIEFLOW_WORKFLOWS_DIR "/campaign_asset.json"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QFile resource(QStringLiteral(":/brieflow/workflows/campaign_asset.json"));
    QVERIFY(resource.open(QIODevice::ReadOnly));
    QCOMPARE(resource.readAll(), source.readAll());
}

void TestWorkflow::builtinUnknownIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("unknown") << QStringLiteral("poster");
    QTest::newRow("empty") << QString();
    QTest::newRow("path") << QStringLiteral("../examples/brief");
    QTest::newRow("with extension") << QStringLiteral("campaign_asset.json");
}

void TestWorkflow::builtinUnknownIds()
{
    QFETCH(QString, id);
    const auto loaded = builtinWorkflow(id);
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().size(), 1);
    QVERIFY(loaded.error().constFirst().path.isEmpty());
    QVERIFY2(loaded.error().constFirst().message.contains(QStringLiteral("campaign_asset")),
             qPrintable(dump(loaded.error())));
}

void TestWorkflow::loadsFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("demo.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\xEF\xBB\xBF" + workflowJson()); // a byte order mark is fine
    file.close();
    const auto loaded = loadWorkflowFile(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : dump(loaded.error())));
    QCOMPARE(loaded->id, QStringLiteral("demo"));

    const auto missing = loadWorkflowFile(dir.filePath(QStringLiteral("nope.json")));
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().constFirst().message.contains(QStringLiteral("doesn't exist")));

    const auto resource =
        loadWorkflowFile(QStringLiteral(":/brieflow/workflows/campaign_asset.json"));
    QVERIFY(resource.ok());
}

void TestWorkflow::retriesUnlessListed()
{
    RetryPolicy policy;
    QVERIFY(policy.retries(QStringLiteral("invalid_input")));
    policy.neverRetry = {QStringLiteral("invalid_input"), QStringLiteral("output_rejected")};
    QVERIFY(!policy.retries(QStringLiteral("invalid_input")));
    QVERIFY(!policy.retries(QStringLiteral("output_rejected")));
    QVERIFY(policy.retries(QStringLiteral("rate_limited")));
    QVERIFY(policy.retries(QStringLiteral("server_error")));
}

void TestWorkflow::backoffExponentialAndCapped_data()
{
    QTest::addColumn<int>("failedAttempts");
    QTest::addColumn<qint64>("expectedMs");
    // Defaults: 2 s doubling up to 60 s; random 0.5 means no jitter.
    QTest::newRow("after 1") << 1 << qint64(2000);
    QTest::newRow("after 2") << 2 << qint64(4000);
    QTest::newRow("after 3") << 3 << qint64(8000);
    QTest::newRow("after 5") << 5 << qint64(32000);
    QTest::newRow("after 6: capped") << 6 << qint64(60000);
    QTest::newRow("after 1000: capped, no overflow") << 1000 << qint64(60000);
    QTest::newRow("0 counts as 1") << 0 << qint64(2000);
    QTest::newRow("negative counts as 1") << -5 << qint64(2000);
}

void TestWorkflow::backoffExponentialAndCapped()
{
    QFETCH(int, failedAttempts);
    QFETCH(qint64, expectedMs);
    const RetryPolicy policy;
    QCOMPARE(policy.backoff(failedAttempts, 0.5).count(), expectedMs);
}

void TestWorkflow::backoffJitterBounds()
{
    const RetryPolicy policy; // jitter 0.2
    QCOMPARE(policy.backoff(1, 0.0), 1600ms);
    QCOMPARE(policy.backoff(1, 0.25), 1800ms);
    QCOMPARE(policy.backoff(1, 0.75), 2200ms);
    QVERIFY(policy.backoff(1, 0.999999) <= 2400ms);
    QVERIFY(policy.backoff(1, 0.999999) >= 2399ms);
    // At the cap, jitter only ever shortens the wait.
    QCOMPARE(policy.backoff(10, 0.0), 48000ms);
    QCOMPARE(policy.backoff(10, 0.999), 60000ms);

    for (int n = 1; n <= 12; ++n) {
        const double base = std::min(2000.0 * std::pow(2.0, n - 1), 60000.0);
        for (double r = 0.0; r < 1.0; r += 0.0625) {
            const auto wait = static_cast<double>(policy.backoff(n, r).count());
            QVERIFY(wait >= base * 0.8 - 0.5);
            QVERIFY(wait <= std::min(base * 1.2, 60000.0) + 0.5);
        }
    }

    RetryPolicy exact;
    exact.jitter = 0.0;
    QCOMPARE(exact.backoff(2, 0.0), 4000ms);
    QCOMPARE(exact.backoff(2, 0.99), 4000ms);

    RetryPolicy wide;
    wide.jitter = 1.0;
    QCOMPARE(wide.backoff(1, 0.0), 0ms);
}

void TestWorkflow::backoffOddInputs()
{
    const RetryPolicy policy;
    QCOMPARE(policy.backoff(1, -3.0), 1600ms); // clamped to 0
    QCOMPARE(policy.backoff(1, 7.0), 2400ms);  // clamped to 1
    QCOMPARE(policy.backoff(1, std::numeric_limits<double>::quiet_NaN()), 2000ms);

    RetryPolicy zero;
    zero.initialBackoff = 0ms;
    QCOMPARE(zero.backoff(5, 0.9), 0ms);

    RetryPolicy inverted; // initial above max: the cap wins
    inverted.initialBackoff = 5000ms;
    inverted.maxBackoff = 1000ms;
    inverted.jitter = 0.0;
    QCOMPARE(inverted.backoff(1, 0.5), 1000ms);
}

QTEST_GUILESS_MAIN(TestWorkflow)
#include "tst_workflow.moc"

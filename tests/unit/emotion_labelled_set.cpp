#include "emotion_labelled_set.hpp"

#include <algorithm>

namespace companion::testing {

namespace {

constexpr EvalHalf D = EvalHalf::dev;
constexpr EvalHalf H = EvalHalf::held_out;

// Written before the word list was tuned; grouped by label, dev and held-out alternating.
constexpr LabelledSentence kSet[] = {
    // joy
    {"I'm feeling great today!", "joy", D},
    {"finally passed my driving test, so happy rn", "joy", H},
    {"Honestly this was the best day I've had in ages 😊", "joy", D},
    {"got the job!!! I still can't stop smiling", "joy", H},
    {"lol that made my day, thank u", "joy", D},
    {"I was worried about the results but they came back fine, such a relief", "joy", H},
    {"not bad at all, actually pretty good day", "joy", D},
    {"My sister had her baby this morning and everyone is doing well, feeling so blessed", "joy",
     H},
    {"We won the match 3-1, what a feeling", "joy", D},
    {"im sooo glad you told me that", "joy", H},
    {"the sun is out and I had a lovely walk by the river", "joy", D},
    {"Feeling pretty content tonight, cozy blanket and tea ☕", "joy", H},
    {"Thanks so much, that really cheered me up :)", "joy", D},
    {"I'm proud of myself for finishing the marathon", "joy", H},
    {"haha yes!! it worked, I fixed the bug", "joy", D},
    {"Today was good. Not amazing, but good.", "joy", H},
    {"My therapist said I'm making real progress and I feel hopeful", "joy", D},
    {"grateful for my friends tbh", "joy", H},
    {"Best pizza ever 😂 I'm so full and happy", "joy", D},
    {"Delighted to hear you're feeling better", "joy", H},
    {"Everything went smoothly at the dentist, yay", "joy", D},
    {"I laughed so hard at that video omg 😂😂", "joy", H},
    {"my cat finally let me pet her, small wins 😌", "joy", D},
    {"It's nice to just relax for once", "joy", H},

    // sadness
    {"I feel so lonely lately", "sadness", D},
    {"My grandpa passed away last night", "sadness", H},
    {"I'm not happy at all with how things turned out", "sadness", D},
    {"cried myself to sleep again 😢", "sadness", H},
    {"everything feels pointless and I'm so tired of trying", "sadness", D},
    {"I miss my old friends from school", "sadness", H},
    {"didn't get the scholarship. kinda heartbroken ngl", "sadness", D},
    {"Why does nobody ever text me back :(", "sadness", H},
    {"i feel empty", "sadness", D},
    {"My dog is sick and the vet says there's not much they can do", "sadness", H},
    {"Been feeling really down since the breakup", "sadness", D},
    {"I tried my best and it still wasn't enough", "sadness", H},
    {"Rainy sunday, nothing to do, feeling kinda blue", "sadness", D},
    {"we had to move away and I hate saying goodbye", "sadness", H},
    {"I'm so disappointed in myself", "sadness", D},
    {"nobody came to my birthday party", "sadness", H},
    {"It hurts that she didn't even say goodbye", "sadness", D},
    {"Lost my job today. Don't really know what to do now.", "sadness", H},
    {"sometimes I just feel like crying for no reason", "sadness", D},
    {"i'm fine. just tired of everything i guess", "sadness", H},
    {"The house feels so quiet without him 💔", "sadness", D},
    {"Failed the exam again... I'm such a failure", "sadness", H},
    {"I wish things could go back to how they were", "sadness", D},
    {"feeling low and unmotivated today", "sadness", H},

    // anger
    {"I'm so angry right now I could scream", "anger", D},
    {"This is absolutely ridiculous, they cancelled my flight AGAIN", "anger", H},
    {"fed up with my roommate leaving dishes everywhere", "anger", D},
    {"Stop telling me what to do!!", "anger", H},
    {"ugh my boss took credit for my work, I'm livid", "anger", D},
    {"Why the hell does this app keep crashing?! 😡", "anger", H},
    {"I'm really annoyed that nobody listens in meetings", "anger", D},
    {"that's so unfair, I did nothing wrong", "anger", H},
    {"pissed off doesn't even begin to cover it", "anger", D},
    {"I can't stand it when people interrupt me all the time", "anger", H},
    {"He lied to my face. I'm furious.", "anger", D},
    {"wtf is wrong with customer service these days", "anger", H},
    {"I'm sick of being ignored", "anger", D},
    {"My brother broke my headphones and didn't even apologize >:(", "anger", H},
    {"So irritated, the bus was 40 mins late again", "anger", D},
    {"I HATE THIS STUPID PRINTER", "anger", H},
    {"don't you dare blame this on me", "anger", D},
    {"The neighbours are blasting music at 2am, I'm losing my mind", "anger", H},
    {"honestly I'm done with their excuses", "anger", D},
    {"how dare they raise the rent again", "anger", H},
    {"grr this traffic is driving me crazy", "anger", D},
    {"it makes my blood boil when people are rude to waiters", "anger", H},
    {"my sister keeps reading my messages and it makes me so mad", "anger", D},
    {"This company is a joke. Worst service I've ever had.", "anger", H},

    // fear
    {"I'm scared of what the doctor will say tomorrow", "fear", D},
    {"so nervous about my interview 😬", "fear", H},
    {"I've never been so scared in my life", "fear", D},
    {"what if I fail and everyone finds out", "fear", H},
    {"there's a weird noise downstairs and I'm home alone 😱", "fear", D},
    {"my anxiety is through the roof today", "fear", H},
    {"I'm terrified of flying but I have to go next week", "fear", D},
    {"Kinda worried about my mom, she hasn't called back", "fear", H},
    {"I have a bad feeling about this", "fear", D},
    {"panic attack on the train this morning, couldn't breathe", "fear", H},
    {"afraid I'll lose my job if the layoffs happen", "fear", D},
    {"the storm is getting really bad and I'm freaking out", "fear", H},
    {"I get so anxious before exams that I can't sleep", "fear", D},
    {"idk what's going to happen and it's freaking me out", "fear", H},
    {"my heart is pounding, I think someone is following me", "fear", D},
    {"Please tell me it's going to be okay, I'm really frightened", "fear", H},
    {"dreading tomorrow's presentation", "fear", D},
    {"What if the test results are bad?", "fear", H},
    {"I'm a bit nervous about meeting her parents", "fear", D},
    {"spiders genuinely terrify me", "fear", H},
    {"I'm worried sick about the surgery", "fear", D},
    {"horror movies at night = no sleep for me, too creepy", "fear", H},
    {"I keep thinking something terrible will happen", "fear", D},
    {"scared to tell my parents I dropped out", "fear", H},

    // surprise
    {"Wait, what?! She's pregnant?", "surprise", D},
    {"omg I did not see that coming", "surprise", H},
    {"No way!! You're kidding me", "surprise", D},
    {"I can't believe he actually showed up", "surprise", H},
    {"whoa, that was unexpected", "surprise", D},
    {"Really? I had no idea you could play piano", "surprise", H},
    {"wow didn't expect that ending at all 😮", "surprise", D},
    {"Huh, the store is closed today? Weird.", "surprise", H},
    {"they got married?? since when", "surprise", D},
    {"I'm shocked, I thought they were best friends", "surprise", H},
    {"you're telling me it was free the whole time?!", "surprise", D},
    {"holy crap the whole street is covered in snow", "surprise", H},
    {"Surprised to see you here!", "surprise", D},
    {"That plot twist though 🤯", "surprise", H},
    {"Out of nowhere my ex texted me after two years", "surprise", D},
    {"seriously? the meeting got moved to today?", "surprise", H},
    {"I was stunned when they called my name", "surprise", D},
    {"WHAT. how did you even do that", "surprise", H},
    {"Oh wow, I never knew that about octopuses", "surprise", D},
    {"wait is that actually true? that's wild", "surprise", H},
    {"my jaw literally dropped", "surprise", D},
    {"didn't think you'd remember my birthday, what a surprise", "surprise", H},
    {"the results were totally not what I expected", "surprise", D},
    {"Who knew cats could do that 😲", "surprise", H},

    // disgust
    {"ew that's disgusting", "disgust", D},
    {"The smell in the fridge is making me gag 🤢", "disgust", H},
    {"gross, someone left hair in the sink again", "disgust", D},
    {"That's the nastiest thing I've ever eaten", "disgust", H},
    {"his comments were honestly vile", "disgust", D},
    {"I feel sick just thinking about what he did", "disgust", H},
    {"yuck, the milk went sour", "disgust", D},
    {"people who litter are revolting", "disgust", H},
    {"found a cockroach in my salad 🤮", "disgust", D},
    {"The way he treats animals is repulsive", "disgust", H},
    {"eww why would you eat that", "disgust", D},
    {"this hotel room is filthy, stains everywhere", "disgust", H},
    {"I'm disgusted by how they treated her", "disgust", D},
    {"that video was so cringe I couldn't finish it", "disgust", H},
    {"The bathroom at the gas station was absolutely foul", "disgust", D},
    {"Ugh the slimy texture of okra makes me want to throw up", "disgust", H},
    {"that guy is such a creep", "disgust", D},
    {"rotten eggs smell all over the kitchen, nasty", "disgust", H},
    {"Just seeing moldy bread makes me shudder", "disgust", D},
    {"his behaviour was sickening honestly", "disgust", H},
    {"blegh, cold coffee with skin on top", "disgust", D},
    {"That's so gross 🤢🤢", "disgust", H},
    {"the politicians' hypocrisy makes me sick to my stomach", "disgust", D},
    {"how can anyone eat that slop, it looks like vomit", "disgust", H},

    // love
    {"I love you so much ❤️", "love", D},
    {"miss you already 🥺 come back soon", "love", H},
    {"You mean the world to me", "love", D},
    {"I adore my little niece, she's the cutest", "love", H},
    {"my boyfriend surprised me with flowers 😍", "love", D},
    {"Can't stop thinking about her, I think I'm falling for her", "love", H},
    {"thank you for always being there for me, love you", "love", D},
    {"I'm so lucky to have you in my life <3", "love", H},
    {"cuddling with my dog is the best feeling 🥰", "love", D},
    {"Happy anniversary babe, 5 years with my favourite person 💕", "love", H},
    {"I have a huge crush on someone at work", "love", D},
    {"He's so sweet, he made me breakfast in bed", "love", H},
    {"love my family more than anything", "love", D},
    {"you're my best friend and I'd do anything for you", "love", H},
    {"I just want to hold her hand and never let go", "love", D},
    {"Sending you a big hug 🤗", "love", H},
    {"my heart melts every time my son says 'I love you'", "love", D},
    {"We've been together ten years and I still get butterflies", "love", H},
    {"I care about you a lot, you know that right?", "love", D},
    {"xoxo, sleep well darling", "love", H},
    {"Our first date was perfect, I think she's the one 💖", "love", D},
    {"I'm head over heels for this guy", "love", H},
    {"you're adorable honestly", "love", D},
    {"I cherish every moment with my grandma", "love", H},

    // excitement
    {"I'm so excited about this project!", "excitement", D},
    {"can't wait for the concert tomorrow!!!", "excitement", H},
    {"We're going to Japan next month 🎉", "excitement", D},
    {"LET'S GOOOO 🔥🔥", "excitement", H},
    {"omg the new season drops tonight, I'm so hyped", "excitement", D},
    {"pumped for the game this weekend", "excitement", H},
    {"Only 3 more days until vacation!!", "excitement", D},
    {"I'm starting my new job on Monday and I'm thrilled", "excitement", H},
    {"soooo stoked, we got tickets!!!", "excitement", D},
    {"Counting down the hours till the party 🥳", "excitement", H},
    {"this is gonna be epic", "excitement", D},
    {"I'm buzzing, the band just announced a tour", "excitement", H},
    {"Our trip is finally booked, I can hardly wait", "excitement", D},
    {"we're adopting a puppy next week!! 🐶", "excitement", H},
    {"can't sleep, too excited for tomorrow", "excitement", D},
    {"ready to crush it at the tournament 💪", "excitement", H},
    {"Tomorrow's my first day at university, I'm eager to start", "excitement", D},
    {"The launch is in an hour and the whole team is fired up", "excitement", H},
    {"new car arriving this weekend, i am so ready!!", "excitement", D},
    {"Looking forward to the weekend so much", "excitement", H},
    {"I've been waiting all year for this festival and it's finally here!", "excitement", D},
    {"yesss road trip starts tomorrow", "excitement", H},
    {"so much to look forward to this summer, I'm giddy", "excitement", D},
    {"Just signed up for skydiving, adrenaline here I come!", "excitement", H},

    // neutral
    {"What time is the meeting tomorrow?", "neutral", D},
    {"I had pasta for lunch.", "neutral", H},
    {"Can you remind me to call the plumber at 5?", "neutral", D},
    {"The train leaves from platform 4.", "neutral", H},
    {"ok", "neutral", D},
    {"I'm going to the store later, need anything?", "neutral", H},
    {"how do I reset my password", "neutral", D},
    {"My brother lives in Denver now.", "neutral", H},
    {"The report is due on Friday.", "neutral", D},
    {"What's the weather like in London this week?", "neutral", H},
    {"I watched a documentary about bridges last night.", "neutral", D},
    {"sure, sounds fine", "neutral", H},
    {"Let me check and get back to you", "neutral", D},
    {"I usually go to the gym on Tuesdays", "neutral", H},
    {"Can you summarize this article for me?", "neutral", D},
    {"the package should arrive thursday", "neutral", H},
    {"I need to buy milk, eggs and bread", "neutral", D},
    {"Where did I put my keys", "neutral", H},
    {"We moved the sofa to the other room.", "neutral", D},
    {"what's 15% of 80", "neutral", H},
    {"I'm reading a book about Roman history", "neutral", D},
    {"Tell me a fun fact", "neutral", H},
    {"my phone is at 20 percent", "neutral", D},
    {"Remind me what we talked about yesterday", "neutral", H},
};

std::size_t label_index(std::string_view label) {
  const auto& labels = core::emotion_labels;
  return static_cast<std::size_t>(std::find(labels.begin(), labels.end(), label) - labels.begin());
}

void score_labels(EmotionEvaluation& evaluation) {
  constexpr std::size_t kLabels = core::emotion_labels.size();
  double f1_sum = 0;
  std::size_t present = 0;
  for (std::size_t label = 0; label < kLabels; ++label) {
    std::size_t predicted = 0;
    std::size_t actual = 0;
    for (std::size_t other = 0; other < kLabels; ++other) {
      predicted += evaluation.confusion[other][label];
      actual += evaluation.confusion[label][other];
    }
    const double hits = static_cast<double>(evaluation.confusion[label][label]);
    LabelScores& scores = evaluation.per_label[label];
    scores.support = actual;
    scores.precision = predicted == 0 ? 0 : hits / predicted;
    scores.recall = actual == 0 ? 0 : hits / actual;
    const double sum = scores.precision + scores.recall;
    scores.f1 = sum == 0 ? 0 : 2 * scores.precision * scores.recall / sum;
    if (actual > 0) {
      f1_sum += scores.f1;
      ++present;
    }
  }
  evaluation.macro_f1 = present == 0 ? 0 : f1_sum / present;
  evaluation.accuracy =
      evaluation.count == 0 ? 0 : static_cast<double>(evaluation.correct) / evaluation.count;
}

}  // namespace

std::span<const LabelledSentence> emotion_labelled_set() {
  return kSet;
}

EmotionEvaluation evaluate_emotions(const core::EmotionAnalyzer& analyzer,
                                    std::optional<EvalHalf> half) {
  EmotionEvaluation evaluation;
  for (const LabelledSentence& entry : kSet) {
    if (half && entry.half != *half) continue;
    const std::string predicted = analyzer.analyze(entry.text).primary;
    ++evaluation.count;
    ++evaluation.confusion[label_index(entry.label)][label_index(predicted)];
    if (predicted == entry.label) {
      ++evaluation.correct;
    } else {
      evaluation.misses.push_back({&entry, predicted});
    }
  }
  score_labels(evaluation);
  return evaluation;
}

}  // namespace companion::testing
